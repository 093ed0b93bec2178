import type { Metadata } from "next";
import { FeatureCard } from "@/components/feature-card";
import { requireUser } from "@/lib/auth/guards";

export const metadata: Metadata = { title: "My apps" };

export default async function UserHomePage() {
  const user = await requireUser("/my-apps");
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Hello, {user.name}</h1>
        <p className="mt-1 text-slate-600">Find out whether an app you need is approved in your organization, and ask for approval if it is not.</p>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <FeatureCard title="Is my app approved?" description="Search by app name or ID, or paste the “Need admin approval” message you saw." />
        <FeatureCard title="My approval requests" description="Follow the requests you made and see who decided and when." />
        <FeatureCard title="Troubleshoot a sign-in error" description="Paste an AADSTS error code and get the next step in plain words." />
      </div>
    </div>
  );
}
