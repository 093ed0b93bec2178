import "server-only";
import { redactText } from "@/lib/audit/redact";
import type { AuditSql } from "@/lib/audit/sql";
import { appendEvents } from "@/lib/audit/store";
import { checkAppsLive } from "@/lib/baseline/drift-check";
import type { GraphSession } from "@/lib/graph/client";
import { importEntraConsentEvents } from "./entra-import";

/** What Entra keeps of its directory audits: the first import reads this far back. */
export const ENTRA_RETENTION_MS = 30 * 24 * 3600 * 1000;
/** Entra's audit records can show up late; each run reads this far behind the last one. */
export const DRIFT_OVERLAP_MS = 2 * 3600 * 1000;

/** What the baseline drift check found for the apps the import saw consent events of (lib/baseline/drift-check). */
export type BaselineCheck = { checked: number; opened: number; resolved: number } | { error: string };
export type DriftRun = { since: Date; fetched: number; imported: number; baselines?: BaselineCheck } | { since: Date; error: string };

/**
 * The scheduled drift import (instrumentation.ts runs it every DRIFT_IMPORT_MINUTES): Entra's
 * consent-related directory audits since the last successful run (less an overlap for Entra's
 * delay), or the last 30 days the first time, read with the portal's app-only token
 * (AuditLog.Read.All). Re-reading is harmless: imports are idempotent by Entra's audit id, so
 * instances and the reviewers' button can overlap. A run leaves an audit event of its own only when
 * it imported something or failed, so a quiet tenant does not fill the trail with "nothing new".
 * The apps whose consent events it imported are then read again live and compared with their approved
 * baselines (the notification job tells people of new drift).
 */
export function createDriftImport(deps: { graph: () => GraphSession; sql: AuditSql; tenantId: string; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  let lastSuccess: Date | null = null;
  return async function runDriftImport(): Promise<DriftRun> {
    const started = now();
    const since = new Date(Math.max(started.getTime() - ENTRA_RETENTION_MS, lastSuccess ? lastSuccess.getTime() - DRIFT_OVERLAP_MS : 0));
    const graph = deps.graph();
    let run: DriftRun;
    try {
      const { appIds, ...result } = await importEntraConsentEvents(graph, since, { sql: deps.sql, tenantId: deps.tenantId });
      lastSuccess = started;
      run = { since, ...result };
      if (result.imported === 0) return run;
      if (appIds.length > 0) run.baselines = await checkBaselines(graph, appIds);
    } catch (error) {
      run = { since, error: redactText(error instanceof Error ? error.message : String(error)).slice(0, 500) };
    }
    await appendEvents(deps.sql, [
      {
        tenantId: deps.tenantId,
        actorOid: null,
        actorUpn: null,
        actorName: "Admin Consent Portal (scheduled import)",
        actorRoles: [],
        action: "audit.importEntraConsents",
        targetType: "auditLog",
        targetName: "Entra directory audits",
        after: run,
        justification: null,
        outcome: "error" in run ? "failed" : "succeeded",
        graphRequestIds: graph.calls.flatMap((call) => (call.requestId ? [call.requestId] : [])).slice(-50),
      },
    ]);
    if ("error" in run) throw new Error(`Drift import failed: ${run.error}`);
    return run;
  };

  /** The import stands on its own: a failed drift check is reported in its event, not as a failed import. */
  async function checkBaselines(graph: GraphSession, appIds: string[]): Promise<BaselineCheck> {
    try {
      const checked = await checkAppsLive(graph, deps.sql, { appIds, detectedBy: "drift-import", now: now() });
      return { checked: checked.checked, opened: checked.opened.length, resolved: checked.resolved };
    } catch (error) {
      return { error: redactText(error instanceof Error ? error.message : String(error)).slice(0, 500) };
    }
  }
}
