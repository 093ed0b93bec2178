import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { auth } from "@/auth";
import { signInAction } from "@/app/auth-actions";
import { env } from "@/lib/env";
import { HOME_PATH } from "@/lib/roles";
import { callbackPath } from "@/lib/validations/auth";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; reason?: string }> }) {
  const { callbackUrl, reason } = await searchParams;
  const session = await auth();
  if (session?.user) redirect(callbackUrl ? callbackPath.parse(callbackUrl) : HOME_PATH[session.user.role]);
  const simulated = env().tenant.mode === "simulated";
  return (
    <div className="mx-auto max-w-md rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      <p className="mt-2 text-sm text-slate-600">
        Use your work account in your organization&apos;s Microsoft Entra tenant. What you can do here follows your Entra roles.
      </p>
      {reason === "expired" && (
        <p role="status" className="mt-3 rounded bg-blue-50 px-3 py-2 text-sm text-blue-900">
          Your sign-in has expired. Sign in again to continue.
        </p>
      )}
      {simulated && (
        <p className="mt-3 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
          This portal runs against the simulated tenant: you will pick one of its seeded accounts (Global Administrator,
          Security Reader, regular users, …).
        </p>
      )}
      <form action={signInAction} className="mt-5">
        <input type="hidden" name="callbackUrl" value={callbackPath.parse(callbackUrl ?? "/")} />
        <button type="submit" className="w-full rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Sign in with Microsoft
        </button>
      </form>
    </div>
  );
}
