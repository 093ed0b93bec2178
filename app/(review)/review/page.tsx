import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { RecentChanges } from "@/components/audit/recent-changes";
import { FeatureCard } from "@/components/feature-card";
import { IdentitySummary } from "@/components/identity-summary";
import { TenantSummary } from "@/components/tenant-summary";
import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/guards";
import { readTenantSummary } from "@/lib/consent/tenant-summary";
import { recentChanges } from "@/lib/dashboard";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewerHomePage() {
  const user = await requireRole(["reviewer", "admin"], "/review");
  return (
    <div className="space-y-8">
      <PageHeader title="Reviewer home" subtitle="Read-only: who granted what, when and why — and proof that the record is intact." />
      <Suspense fallback={<LoadingPlaceholder className="h-5 w-72" label="Connecting to Microsoft Graph…" />}>
        <TenantSummary summary={readTenantSummary(user)} />
      </Suspense>
      <section aria-labelledby="recent" className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-baseline justify-between gap-2">
          <h2 id="recent" className="font-semibold">
            Recent changes
          </h2>
          <Link href="/audit" className="text-sm text-brand underline">
            Full audit trail
          </Link>
        </div>
        <div className="mt-3 text-sm">
          <Suspense fallback={<LoadingPlaceholder className="h-16" label="Reading the audit trail…" />}>
            <RecentChanges changes={recentChanges(5)} />
          </Suspense>
        </div>
      </section>
      <section aria-labelledby="audit">
        <h2 id="audit" className="text-lg font-semibold">Audit trail</h2>
        <div className="mt-3 grid gap-4 sm:grid-cols-2">
          <FeatureCard href="/audit" title="Browse the audit log" description="Filter by actor, app, action, outcome and date; see before and after for every change." />
          <FeatureCard href="/audit/verify" title="Verify the chain" description="Recompute the hash chain end to end and export the signed head hash." />
          <FeatureCard href="/audit" title="Export" description="CSV or JSON Lines of the current filter, from the audit log page." />
          <FeatureCard href="/audit?source=entra" title="Consent made outside the portal" description="Consent events imported from Entra's audit log, beside the portal's own." />
          <FeatureCard href="/review/settings-document" title="Consent settings document" description="Download the tenant's consent settings as JSON or YAML, and compare a document with the tenant." />
        </div>
      </section>
      <IdentitySummary user={user} />
    </div>
  );
}
