import Link from "next/link";
import { acceptDriftAction } from "@/app/(review)/inventory/drift/actions";
import { LocalTime } from "@/components/ui/local-time";
import { DRIFT_KIND_LABELS, DRIFT_STATUS_LABELS } from "@/lib/baseline/drift-portal";
import type { DriftRecord } from "@/lib/baseline/drift-store";
import { AcceptDriftForm } from "./drift-forms";

const KIND_COLORS: Record<DriftRecord["kind"], string> = {
  added: "bg-red-100 text-red-900",
  "unapproved-app": "bg-red-100 text-red-900",
  removed: "bg-amber-100 text-amber-900",
  "publisher-unverified": "bg-amber-100 text-amber-900",
};

/** What reverting a drift does, as the link says it; null when there is nothing to put back. */
function revertLabel(drift: DriftRecord): string | null {
  if (drift.kind === "added") return "Revert: revoke it";
  if (drift.kind === "unapproved-app") return "Revert: revoke its consent";
  if (drift.kind === "removed") return "Revert: grant it again";
  return null;
}

/**
 * Open drifts, each with its two answers for admins: accept into the baseline (justified) or revert
 * through the wizard's preview. Reviewers see the same list without the answers.
 */
export function DriftList({ drifts, canAct, showApp = true }: { drifts: DriftRecord[]; canAct: boolean; showApp?: boolean }) {
  return (
    <ul className="space-y-3" data-testid="drift-list">
      {drifts.map((drift) => {
        const revert = revertLabel(drift);
        return (
          <li key={drift.id} className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" data-testid="drift" data-kind={drift.kind}>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className={`rounded px-2 py-0.5 text-xs font-medium ${KIND_COLORS[drift.kind]}`}>{DRIFT_KIND_LABELS[drift.kind]}</span>
              {showApp && (
                <Link href={`/inventory/apps/${drift.appId}`} className="font-medium text-brand underline">
                  {drift.appName}
                </Link>
              )}
              <span className="text-slate-500">
                first seen <LocalTime iso={drift.firstSeenAt.toISOString()} />, last seen <LocalTime iso={drift.lastSeenAt.toISOString()} />
              </span>
            </div>
            <p>{drift.detail}</p>
            {canAct && (
              <div className="flex flex-wrap items-start gap-3">
                {revert && (
                  <Link
                    href={`/inventory/drift/revert?drift=${drift.id}`}
                    className="rounded border border-red-700 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50"
                    data-testid="drift-revert"
                  >
                    {revert}
                  </Link>
                )}
                <AcceptDriftForm action={acceptDriftAction} driftId={drift.id} label={drift.detail} />
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** Drifts closed lately: by whom, how and why. */
export function ClosedDriftList({ drifts }: { drifts: DriftRecord[] }) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white text-sm" data-testid="closed-drifts">
      {drifts.map((drift) => (
        <li key={drift.id} className="space-y-1 p-3" data-status={drift.status}>
          <p>
            <span className="font-medium">{drift.appName}</span>: {drift.detail}
          </p>
          <p className="text-slate-600">
            {DRIFT_STATUS_LABELS[drift.status]}
            {drift.closedByName ? ` by ${drift.closedByName}` : ""}
            {drift.closedAt ? (
              <>
                {" "}
                on <LocalTime iso={drift.closedAt.toISOString()} />
              </>
            ) : null}
            {drift.closedReason ? ` — “${drift.closedReason}”` : ""}
          </p>
        </li>
      ))}
    </ul>
  );
}
