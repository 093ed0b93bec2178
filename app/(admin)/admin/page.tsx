import type { Metadata } from "next";
import { FeatureCard } from "@/components/feature-card";
import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";
import { Suspense } from "react";
import { IdentitySummary } from "@/components/identity-summary";
import { TenantSummary } from "@/components/tenant-summary";
import { requireRole } from "@/lib/auth/guards";
import { readTenantSummary } from "@/lib/consent/tenant-summary";
import { adminCapabilities } from "@/lib/roles";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminHomePage() {
  const user = await requireRole(["admin"], "/admin");
  const capabilities = adminCapabilities(user.wids);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Admin home</h1>
        <p className="mt-1 text-slate-600">Consent for third-party apps in your tenant, one guided step at a time.</p>
      </div>
      <Suspense fallback={<LoadingPlaceholder className="h-5 w-72" label="Connecting to Microsoft Graph…" />}>
        <TenantSummary summary={readTenantSummary(user)} />
      </Suspense>
      <IdentitySummary user={user} />
      <section aria-labelledby="capabilities">
        <h2 id="capabilities" className="text-lg font-semibold">What your Entra role allows here</h2>
        <ul className="mt-3 space-y-2 text-sm" data-testid="capabilities">
          {capabilities.map((capability) => (
            <li key={capability.label} className="flex gap-2">
              <span aria-hidden="true">{capability.allowed ? "✓" : "✕"}</span>
              <span>
                <span className="font-medium">{capability.label}</span>
                {capability.allowed ? (
                  <span className="sr-only"> — allowed</span>
                ) : (
                  <span className="text-slate-600"> — not with your role. {capability.reason}</span>
                )}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="wizards">
        <h2 id="wizards" className="text-lg font-semibold">Wizards</h2>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <FeatureCard href="/admin/apps" title="Grant tenant-wide admin consent" description="Consent on behalf of your organization for an app's delegated and application permissions, with a preview." />
          <FeatureCard href="/admin/apps" title="Admin consent link" description="Build the tenant-specific /adminconsent link for an app and check the result." />
          <FeatureCard href="/admin/apps" title="Revoke and restrict" description="Remove scopes or one user's consent, require assignment, disable sign-in, or delete the app." />
          <FeatureCard title="Admin consent workflow" description="Let users request approval, choose reviewers, reminders and expiry." href="/admin/policies/consent-workflow" />
          <FeatureCard title="User consent settings" description="Do not allow, verified publishers with low-impact permissions, or all apps." href="/admin/policies/user-consent" />
          <FeatureCard title="Permission classifications" description="Classify Microsoft Graph permissions as low impact, or apply a vendor's set (e.g. Okta Office 365 Mail) in one click." href="/admin/policies/classifications" />
          <FeatureCard title="Group-owner consent" description="Whether group owners may consent to apps for their groups, where the tenant still has the setting." href="/admin/policies/group-consent" />
          <FeatureCard href="/admin/entra-requests" title="Entra's pending requests" description="Requests from Entra's “Approval required” screen: approve by granting exactly what was asked, deny with a reason, or block the app." />
          <FeatureCard href="/admin/requests" title="Approval requests" description="Review users' requests and Entra's pending requests; approve by granting, or deny with a reason." />
        </div>
      </section>
    </div>
  );
}
