import type { Metadata } from "next";
import Link from "next/link";
import { RevokePreview } from "@/app/(admin)/admin/apps/[appId]/revoke/_components/revoke-preview";
import { BulkRevokeForm, type BulkApp } from "@/components/inventory/bulk-revoke-form";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { requireRole } from "@/lib/auth/guards";
import { isInCatalog } from "@/lib/catalog";
import { isRefusal, previewWizard } from "@/lib/consent/engine/wizard";
import { revokeWizard } from "@/lib/consent/revoke";
import { revokeQuery } from "@/lib/consent/revoke/schema";
import { findingsByKeys } from "@/lib/inventory/query";
import { latestCompletedScan } from "@/lib/inventory/scan";
import { stringList } from "@/lib/validations/common";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Revoke findings" };

/** At most this many findings at once: each app's preview reads the tenant. */
const MAX_FINDINGS = 50;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function BulkRevokePage({ searchParams }: Props) {
  const query = await searchParams;
  const keys = stringList.parse(query.f).filter((key) => key.length <= 600);
  const user = await requireRole(["admin"], `/inventory/findings/revoke?${new URLSearchParams(keys.map((k) => ["f", k])).toString()}`);
  const scan = await latestCompletedScan();
  const findings = scan ? await findingsByKeys(scan.id, keys, MAX_FINDINGS) : [];

  // One revoke per app, choosing everything its selected findings name.
  const byApp = new Map<string, { name: string; s: Set<string>; r: Set<string>; u: Set<string>; titles: string[] }>();
  for (const finding of findings) {
    const entry = byApp.get(finding.appId) ?? { name: finding.appName, s: new Set(), r: new Set(), u: new Set(), titles: [] };
    for (const kind of ["s", "r", "u"] as const) for (const value of finding.revoke[kind]) entry[kind].add(value);
    entry.titles.push(finding.title);
    byApp.set(finding.appId, entry);
  }

  const ready: BulkApp[] = [];
  const sections: React.ReactNode[] = [];
  // One app after the other: each preview reads the tenant, and Graph throttles bursts.
  for (const [appId, entry] of byApp) {
    const chosen = { s: [...entry.s], r: [...entry.r], u: [...entry.u] };
    const headingId = `app-${appId}`;
    // The wizard describes an app the catalog does not list from its service principal in the tenant.
    const loaded = await previewWizard(revokeWizard, user, { appId, ...chosen });
    const name = isRefusal(loaded) ? entry.name : loaded.app.displayName;
    sections.push(
      <section key={appId} aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="bulk-app">
        <h2 id={headingId} className="text-lg font-semibold">
          {name}
        </h2>
        {!isRefusal(loaded) && !isInCatalog(loaded.app) && (
          <p className="text-sm text-slate-600" data-testid="not-in-catalog">
            Not in the portal&apos;s catalog: described from its service principal in your tenant ({loaded.app.publisher ?? "unknown publisher"}
            {loaded.app.verifiedPublisher ? ", verified" : ", not verified"}).
          </p>
        )}
        <ul className="list-disc pl-5 text-sm text-slate-700">
          {entry.titles.map((title) => (
            <li key={title}>{title}</li>
          ))}
        </ul>
        {isRefusal(loaded) ? (
          <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
            Left out: {loaded.refusal}
          </p>
        ) : (
          <RevokePreview plan={loaded.plan} appName={name} blockHref={`/admin/apps/${appId}/revoke?${revokeQuery({ s: [], r: [], u: [], block: "yes" }, "preview")}`} />
        )}
      </section>,
    );
    if (!isRefusal(loaded) && loaded.plan.changeCount > 0) {
      ready.push({ appId, name, ...chosen, retryHref: `/admin/apps/${appId}/revoke?${revokeQuery(chosen, "preview")}` });
    }
  }

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/inventory/findings", label: "Findings" }}
        title="Revoke the selected findings"
        subtitle={
          <>
            Each app&apos;s revoke, previewed from the tenant as it is now. Confirming runs the revoke wizard for each app in turn, each change audited with your
            justification.
          </>
        }
      />
      <InventoryNav current="/inventory/findings" />
      {findings.length === 0 ? (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm">
          None of the chosen findings is in the last scan. <Link href="/inventory/findings" className="text-brand underline">Choose findings</Link>.
        </p>
      ) : (
        <BulkRevokeForm apps={ready}>
          {keys.length > MAX_FINDINGS && <p className="text-sm text-amber-800">Only the first {MAX_FINDINGS} chosen findings are shown; revoke the rest afterwards.</p>}
          {sections}
        </BulkRevokeForm>
      )}
    </div>
  );
}
