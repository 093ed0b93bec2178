import type { Metadata } from "next";
import Link from "next/link";
import { FindingsList } from "@/components/inventory/findings-list";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { firstValues } from "@/lib/audit/filters";
import { requireRole } from "@/lib/auth/guards";
import { cursorSchema, FINDING_KIND_LABELS, FINDING_KINDS, findingFilterSchema, SEVERITIES, toSearch } from "@/lib/inventory/filters";
import { listFindings } from "@/lib/inventory/query";
import { latestCompletedScan } from "@/lib/inventory/scan";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Inventory findings" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const input = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";

export default async function FindingsPage({ searchParams }: Props) {
  const raw = firstValues(await searchParams);
  const user = await requireRole(["reviewer", "admin"], `/inventory/findings${toSearch(raw)}`);
  const parsed = findingFilterSchema.safeParse(raw);
  const filter = parsed.success ? parsed.data : {};
  const cursor = cursorSchema.safeParse(raw.cursor);
  const scan = await latestCompletedScan();
  const page = scan && parsed.success ? await listFindings(scan.id, filter, { cursor: cursor.success ? cursor.data : undefined, limit: 50 }) : null;
  const exportHref = (format: "csv" | "json") => `/inventory/export${toSearch(filter, { what: "findings", format })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Findings" subtitle="What the last scan concluded: consent worth a second look, each with the revoke that resolves it." />
        {scan && (
          <nav aria-label="Export the findings" className="flex gap-2 text-sm">
            <a href={exportHref("csv")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
              Export CSV
            </a>
            <a href={exportHref("json")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
              Export JSON
            </a>
          </nav>
        )}
      </div>
      <InventoryNav current="/inventory/findings" />
      {!scan ? (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm">
          No scan has completed yet. <Link href="/inventory" className="text-brand underline">Start one on the inventory page</Link>.
        </p>
      ) : (
        <>
          <form method="get" action="/inventory/findings" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-4" aria-label="Filter the findings">
            <div>
              <label htmlFor="ff-kind" className="block text-xs font-medium text-slate-700">
                Kind
              </label>
              <select id="ff-kind" name="kind" defaultValue={raw.kind ?? ""} className={input}>
                <option value="">Any</option>
                {FINDING_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {FINDING_KIND_LABELS[kind]}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="ff-severity" className="block text-xs font-medium text-slate-700">
                Severity
              </label>
              <select id="ff-severity" name="severity" defaultValue={raw.severity ?? ""} className={input}>
                <option value="">Any</option>
                {SEVERITIES.map((severity) => (
                  <option key={severity}>{severity}</option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="ff-q" className="block text-xs font-medium text-slate-700">
                Search (app or finding)
              </label>
              <input id="ff-q" name="q" type="search" defaultValue={raw.q ?? ""} className={input} />
            </div>
            <div className="flex items-end gap-3">
              <button type="submit" className="rounded bg-brand px-3 py-1.5 text-sm text-white hover:bg-brand-dark">
                Apply
              </button>
              <Link href="/inventory/findings" className="py-1.5 text-sm text-brand underline">
                Clear
              </Link>
            </div>
          </form>
          {!parsed.success && (
            <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
              {parsed.error.issues[0]?.message ?? "Fix the filter above to see findings."}
            </p>
          )}
          {page && (
            <>
              <p className="text-sm text-slate-600" data-testid="findings-total">
                {page.total === 0 ? "No finding matches." : `${page.total} ${page.total === 1 ? "finding matches" : "findings match"}.`}
              </p>
              {page.rows.length > 0 && <FindingsList findings={page.rows} selectable={user.role === "admin"} />}
              <nav aria-label="Pages" className="flex justify-between text-sm">
                {cursor.success && cursor.data ? (
                  <Link href={`/inventory/findings${toSearch(filter)}`} className="text-brand underline">
                    ← First page
                  </Link>
                ) : (
                  <span />
                )}
                {page.nextCursor && (
                  <Link href={`/inventory/findings${toSearch(filter, { cursor: page.nextCursor })}`} className="text-brand underline">
                    Next page →
                  </Link>
                )}
              </nav>
            </>
          )}
        </>
      )}
    </div>
  );
}
