import Link from "next/link";
import { FINDING_KIND_LABELS } from "@/lib/inventory/vocabulary";
import type { FindingRow } from "@/lib/inventory/query";
import { SeverityBadge } from "./severity-badge";

export const findingHref = (key: string) => `/inventory/findings/${encodeURIComponent(key)}`;

/**
 * Findings, each linking to its page. Admins also get a checkbox per finding: the form (GET) opens the
 * bulk revoke page with the chosen findings, which previews every app's revoke before anything changes.
 */
export function FindingsList({ findings, selectable }: { findings: FindingRow[]; selectable: boolean }) {
  const list = (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="findings">
      {findings.map((finding) => {
        const id = `f-${finding.key}`;
        return (
          <li key={finding.key} className="flex gap-3 p-3" data-testid="finding">
            {selectable && (
              <input
                id={id}
                type="checkbox"
                name="f"
                value={finding.key}
                className="mt-1"
                aria-label={`Select: ${finding.title}`}
                disabled={finding.revoke.s.length + finding.revoke.r.length + finding.revoke.u.length === 0}
              />
            )}
            <div className="min-w-0 flex-1 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <SeverityBadge severity={finding.severity} />
                <span className="text-xs text-slate-600">{FINDING_KIND_LABELS[finding.kind] ?? finding.kind}</span>
              </p>
              <p className="mt-1">
                <Link href={findingHref(finding.key)} className="font-medium text-brand underline">
                  {finding.title}
                </Link>
              </p>
              <p className="text-slate-600">{finding.detail}</p>
            </div>
          </li>
        );
      })}
    </ul>
  );
  if (!selectable) return list;
  return (
    <form method="get" action="/inventory/findings/revoke" className="space-y-3" aria-label="Revoke the selected findings">
      {list}
      <button type="submit" className="rounded border border-red-700 bg-white px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50">
        Preview revoking the selected
      </button>
    </form>
  );
}
