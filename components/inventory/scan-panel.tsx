"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions/result";
import type { ScanProgress } from "@/lib/inventory/scan";

/** The scan's progress as /inventory/progress sends it (times as numbers, no dates). */
export type ProgressView = Omit<ScanProgress, "startedAt" | "finishedAt"> & { scanId: string };

type StartAction = (previous: ActionResult<{ scanId: string }> | null, formData: FormData) => Promise<ActionResult<{ scanId: string }>>;

const PHASES: Record<string, string> = {
  servicePrincipals: "Reading apps (service principals)",
  grants: "Reading delegated grants",
  appRoleAssignments: "Reading application permissions",
  assignments: "Reading application permissions",
  names: "Naming the resources",
  signIns: "Reading sign-in activity",
  analysis: "Assessing risk and findings",
};

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How often the panel asks; a scan of a large tenant runs for minutes, so a second is fine-grained enough. */
const POLL_MS = 1000;

/**
 * The scan: a start button for admins, and the progress of the running scan read from the database
 * every second (so it survives reloads and follows a scan started elsewhere). When the scan ends, the
 * page is refreshed to show the new inventory.
 */
export function ScanPanel({ initial, canStart, start }: { initial: ProgressView | null; canStart: boolean; start: StartAction }) {
  const router = useRouter();
  const [state, action] = useActionState(start, null);
  const [progress, setProgress] = useState<ProgressView | null>(initial);
  const followed = state?.ok ? state.data.scanId : progress?.status === "running" ? progress.scanId : null;

  useEffect(() => {
    if (!followed) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const response = await fetch(`/inventory/progress?scan=${followed}`, { cache: "no-store" });
        if (response.ok) {
          const next = (await response.json()) as ProgressView;
          if (stopped) return;
          setProgress(next);
          if (next.status !== "running") {
            router.refresh();
            return;
          }
        }
      } catch {
        // A dropped request is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [followed, router]);

  // Just started and not polled yet counts as running, so the button cannot start a second scan.
  const running = (state?.ok && progress?.scanId !== state.data.scanId) || progress?.status === "running";
  return (
    <section aria-labelledby="scan-heading" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="scan-panel">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="scan-heading" className="font-semibold">
          Scan
        </h2>
        {canStart && !running && (
          <form action={action}>
            <SubmitButton pendingText="Starting…">Start a scan</SubmitButton>
          </form>
        )}
      </div>
      <div role="status" aria-live="polite" className="mt-2 text-sm">
        {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
        {progress && (
          <div data-testid="scan-progress" data-status={progress.status} data-scan={progress.scanId}>
            <p className="font-medium">
              {progress.status === "running"
                ? `Scanning: ${PHASES[progress.phase] ?? progress.phase}`
                : progress.status === "completed"
                  ? "The last scan completed."
                  : "The last scan failed."}
            </p>
            <dl className="mt-1 grid grid-cols-2 gap-x-4 text-slate-700 sm:grid-cols-5">
              <div>
                <dt className="text-xs text-slate-500">Pages read</dt>
                <dd data-testid="scan-pages">{progress.pages}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Items</dt>
                <dd data-testid="scan-items">{progress.items}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Elapsed</dt>
                <dd>{duration(progress.elapsedMs)}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Time left</dt>
                <dd>{progress.status !== "running" ? "—" : progress.estimatedMsLeft === null ? "estimating…" : `about ${duration(progress.estimatedMsLeft)}`}</dd>
              </div>
              <div>
                <dt className="text-xs text-slate-500">Throttled by Graph</dt>
                <dd>{progress.throttled}</dd>
              </div>
            </dl>
            {progress.lastError && <p className="mt-1 text-amber-800">Last problem: {progress.lastError}</p>}
          </div>
        )}
        {!progress && !state && <p className="text-slate-600">No scan has run yet.{canStart ? " Start one to build the inventory." : " An admin can start one."}</p>}
      </div>
    </section>
  );
}
