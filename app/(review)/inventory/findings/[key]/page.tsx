import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { SeverityBadge } from "@/components/inventory/severity-badge";
import { requireRole } from "@/lib/auth/guards";
import { revokeQuery } from "@/lib/consent/revoke/schema";
import { FINDING_KIND_LABELS } from "@/lib/inventory/filters";
import { findingByKey, inventoryAppOf } from "@/lib/inventory/query";
import { latestCompletedScan } from "@/lib/inventory/scan";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Finding" };

type Props = { params: Promise<{ key: string }> };

/** The segment as the finding's key; Next may hand it over still percent-encoded, and a stray "%" is not an error. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function FindingPage({ params }: Props) {
  const { key: rawKey } = await params;
  const key = decoded(rawKey);
  const user = await requireRole(["reviewer", "admin"], `/inventory/findings/${encodeURIComponent(key)}`);
  const scan = await latestCompletedScan();
  const finding = scan && key.length <= 600 ? await findingByKey(scan.id, key) : null;
  if (!scan || !finding) notFound();
  // The revoke wizard works on any app the tenant holds, in the catalog or not (lib/catalog/known-app.ts).
  const app = await inventoryAppOf(scan.id, finding.servicePrincipalId);
  const { s, r, u } = finding.revoke;
  const nothingToRevoke = s.length + r.length + u.length === 0;

  return (
    <div className="space-y-6">
      <PageHeader back={{ href: "/inventory/findings", label: "Findings" }} title={finding.title}>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <SeverityBadge severity={finding.severity} />
          <span className="text-slate-600">{FINDING_KIND_LABELS[finding.kind] ?? finding.kind}</span>
        </p>
      </PageHeader>
      <InventoryNav current="/inventory/findings" />
      <section aria-labelledby="why" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 id="why" className="font-semibold">
          Why it matters
        </h2>
        <p className="mt-1">{finding.detail}</p>
      </section>
      {app && (
        <section aria-labelledby="app" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <h2 id="app" className="font-semibold">
            {app.displayName} <span className="font-mono text-xs font-normal text-slate-500">{app.appId}</span>
          </h2>
          <p className="mt-1">{app.riskSummary}</p>
          {app.riskFactors.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-slate-700">
              {app.riskFactors.map((factor) => (
                <li key={factor}>{factor}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section aria-labelledby="resolve" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <h2 id="resolve" className="font-semibold">
          What resolves it
        </h2>
        {nothingToRevoke ? (
          <p className="mt-1">Nothing to revoke: review the app&apos;s use instead.</p>
        ) : (
          <ul className="mt-1 list-disc pl-5" data-testid="finding-revoke">
            {s.map((value) => (
              <li key={`s-${value}`}>Remove the delegated scope {value.split("|")[1]} granted for all users</li>
            ))}
            {r.map((value) => (
              <li key={`r-${value}`}>Remove the application permission {value.split("|")[1]}</li>
            ))}
            {u.length > 0 && <li>Revoke the own consent of {u.length === 1 ? "one user" : `${u.length} users`}</li>}
          </ul>
        )}
        {!nothingToRevoke &&
          (user.role !== "admin" ? (
            <p className="mt-3 text-slate-600">An admin can revoke this through the revoke wizard.</p>
          ) : (
            <p className="mt-3">
              <Link href={`/admin/apps/${finding.appId}/revoke?${revokeQuery(finding.revoke, "preview")}`} className="rounded border border-red-700 bg-white px-4 py-2 font-medium text-red-800 hover:bg-red-50">
                Revoke — preview first
              </Link>
            </p>
          ))}
      </section>
    </div>
  );
}
