import { redirect } from "next/navigation";
import Link from "next/link";
import { auth } from "@/auth";
import { HOME_PATH } from "@/lib/roles";

export default async function LandingPage({ searchParams }: { searchParams: Promise<{ signedOut?: string }> }) {
  const session = await auth();
  if (session?.user) redirect(HOME_PATH[session.user.role]);
  const { signedOut } = await searchParams;
  return (
    <div className="space-y-8">
      {signedOut && (
        <p role="status" className="rounded border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-900">
          You are signed out.
        </p>
      )}
      <section>
        <h1 className="text-3xl font-semibold">Consent for third-party apps, done right</h1>
        <p className="mt-3 max-w-2xl text-slate-700">
          Apps like Okta Workflows, Nylas and Outreach need Microsoft Graph permissions in your Microsoft Entra tenant. This
          portal turns every consent path in their setup guides into a guided, previewed and audited step — and tells
          everyone else whether their app is approved.
        </p>
        <Link href="/signin" className="mt-6 inline-block rounded bg-brand px-5 py-2 font-medium text-white hover:bg-brand-dark">
          Sign in with Microsoft
        </Link>
      </section>
      <section className="grid gap-4 sm:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Admins</h2>
          <p className="mt-1 text-sm text-slate-600">
            Grant, restrict and revoke consent with a preview of exactly what changes, and a record of why.
          </p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Everyone</h2>
          <p className="mt-1 text-sm text-slate-600">Check whether an app is approved, ask for approval and follow the request.</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-semibold">Security reviewers</h2>
          <p className="mt-1 text-sm text-slate-600">Browse, verify and export a tamper-evident trail of who granted what.</p>
        </div>
      </section>
    </div>
  );
}
