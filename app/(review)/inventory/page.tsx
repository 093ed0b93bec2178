import type { Metadata } from "next";
import Link from "next/link";
import { GrantsChart } from "@/components/inventory/grants-chart";
import { HeadlineStats } from "@/components/inventory/headline-stats";
import { InventoryFilterForm } from "@/components/inventory/inventory-filter-form";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { InventoryTable } from "@/components/inventory/inventory-table";
import { RiskChart } from "@/components/inventory/risk-chart";
import { ScanPanel } from "@/components/inventory/scan-panel";
import { firstValues } from "@/lib/audit/filters";
import { requireRole } from "@/lib/auth/guards";
import { revokeQuery } from "@/lib/consent/revoke/schema";
import { cursorSchema, hiddenColumnsSchema, inventoryFilterSchema, sortOf, toSearch } from "@/lib/inventory/filters";
import { readInventoryHeadline } from "@/lib/inventory/headline";
import { appsByRiskLevel, grantsOverTime, listInventoryApps } from "@/lib/inventory/query";
import { latestCompletedScan } from "@/lib/inventory/scan";
import { startScanAction } from "./actions";
import { initialScanProgress } from "./_components/scan-progress";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consent inventory" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function InventoryPage({ searchParams }: Props) {
  const raw = firstValues(await searchParams);
  const user = await requireRole(["reviewer", "admin"], `/inventory${toSearch(raw)}`);
  const parsed = inventoryFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : {};
  const cursor = cursorSchema.safeParse(raw.cursor);
  const hidden = hiddenColumnsSchema.parse(raw.hide);
  const { sort, dir } = sortOf(filter);
  const isAdmin = user.role === "admin";

  const [scan, progress, headline] = await Promise.all([latestCompletedScan(), initialScanProgress(), readInventoryHeadline()]);
  const view = { ...filter, dir: filter.dir, hide: hidden.length ? hidden.join(",") : undefined };
  const exportHref = (what: "apps" | "findings", format: "csv" | "json") => `/inventory/export${toSearch(what === "apps" ? filter : {}, { what, format })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Consent inventory" subtitle="Every app holding consent in the tenant — delegated grants and application permissions — with its risk explained." />
        {scan && (
          <nav aria-label="Export the inventory" className="flex gap-2 text-sm">
            <a href={exportHref("apps", "csv")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
              Export CSV
            </a>
            <a href={exportHref("apps", "json")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
              Export JSON
            </a>
          </nav>
        )}
      </div>
      <InventoryNav current="/inventory" />
      <ScanPanel initial={progress} canStart={isAdmin} start={startScanAction} />
      {scan && headline ? (
        <Inventory scanId={scan.id} />
      ) : (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm">The inventory appears here once a scan has completed.</p>
      )}
    </div>
  );

  async function Inventory({ scanId }: { scanId: string }) {
    const [page, levels, overTime] = await Promise.all([
      parsed.success ? listInventoryApps(scanId, filter, { cursor: cursor.success ? cursor.data : undefined, limit: 50 }) : null,
      appsByRiskLevel(scanId),
      grantsOverTime(),
    ]);
    const rows = page?.rows ?? [];
    // The revoke wizard's own query builder: the table links straight to its preview of everything the app holds.
    const revokeQueries = Object.fromEntries(rows.map((row) => [row.servicePrincipalId, revokeQuery(row.revoke, "preview")]));
    const changes = scan?.summary?.changes ?? null;
    const signIns = scan?.summary?.signIns;
    return (
      <>
        <HeadlineStats headline={headline!} changes={changes} />
        {signIns?.available === false && (
          <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="sign-ins-unavailable">
            Sign-in data was unavailable for this scan ({signIns.reason}), so no app shows a last sign-in and unused apps cannot be found. Reading it takes
            the AuditLog.Read.All permission and a tenant licensed for sign-in reports (Microsoft Entra ID P1 or P2).
          </p>
        )}
        <div className="grid gap-4 md:grid-cols-2">
          <RiskChart counts={levels} />
          <GrantsChart points={overTime} />
        </div>
        <InventoryFilterForm values={{ ...raw, hide: view.hide }} error={parsed.success ? undefined : parsed.error.issues[0]?.message} />
        {page ? (
          <>
            <p className="text-sm text-slate-600" data-testid="inventory-total">
              {page.total === 0 ? "No app matches." : `${page.total} ${page.total === 1 ? "app matches" : "apps match"}; ${rows.length} on this page.`}
            </p>
            {rows.length > 0 && <InventoryTable rows={rows} sort={sort} dir={dir} hidden={hidden} canAct={isAdmin} revokeQueries={revokeQueries} />}
            <nav aria-label="Pages" className="flex justify-between text-sm">
              {cursor.success && cursor.data ? (
                <Link href={`/inventory${toSearch(view)}`} className="text-brand underline">
                  ← First page
                </Link>
              ) : (
                <span />
              )}
              {page.nextCursor && (
                <Link href={`/inventory${toSearch(view, { cursor: page.nextCursor })}`} className="text-brand underline">
                  Next page →
                </Link>
              )}
            </nav>
          </>
        ) : (
          <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            Fix the filter above to see apps.
          </p>
        )}
      </>
    );
  }
}
