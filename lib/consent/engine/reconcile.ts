import type { AuditLog } from "@/lib/audit/audit-log";
import type { AuditRecord } from "@/lib/audit/canonical";
import type { AuditSql } from "@/lib/audit/sql";
import type { GraphSession } from "@/lib/graph/client";
import { readBack } from "./expectations";
import type { Intended } from "./run-step";
import type { TargetLocks } from "./target-lock";

/** An intent without an outcome, with what reconciliation needs of it. */
type Orphan = Pick<
  AuditRecord,
  "correlationId" | "tenantId" | "actorOid" | "actorUpn" | "actorName" | "actorRoles" | "action" | "targetType" | "targetAppId" | "targetId" | "targetName" | "before" | "justification"
> & { after: { intended?: Intended } | null };

/** Intents younger than this are left alone: their step may still be on its way to its lock. */
const SETTLE_SECONDS = 15;
/** How far back to look each pass: older intents without an outcome stay visible as such in the audit browser. */
const WINDOW_DAYS = 7;

/**
 * "Outcome recorded late": finds change intents that have no outcome (the outcome write failed after
 * Graph was called, or the process died in between) and records each outcome from the tenant's state,
 * read back exactly as the step would have. It takes the step's own target lock first, so it never
 * races a step still running, and re-checks that no outcome appeared meanwhile, so two instances
 * running it at once record each outcome once. Intents without a stored expectation (portal-only
 * records) have no tenant state to read and are left as they are.
 */
export function createReconciler(deps: { sql: AuditSql; audit: AuditLog; locks: TargetLocks; graph: () => GraphSession; settleSeconds?: number }) {
  const settle = deps.settleSeconds ?? SETTLE_SECONDS;
  const withoutOutcome = (extra = "") => `
    SELECT "correlationId"::text, "tenantId"::text, "actorOid"::text, "actorUpn", "actorName", "actorRoles", action, "targetType",
           "targetAppId", "targetId", "targetName", before, after, justification
    FROM "AuditEvent" i
    WHERE outcome = 'intended' AND after->'intended' IS NOT NULL ${extra}
      AND NOT EXISTS (SELECT 1 FROM "AuditEvent" o WHERE o."correlationId" = i."correlationId" AND o.outcome <> 'intended')`;

  return async function reconcile(options: { windowDays?: number } = {}): Promise<{ recorded: number }> {
    const orphans = await deps.sql.query<Orphan>(
      `${withoutOutcome(`AND "occurredAt" < now() - make_interval(secs => ${settle}) AND "occurredAt" > now() - make_interval(days => $1::int)`)} ORDER BY seq LIMIT 100`,
      [options.windowDays ?? WINDOW_DAYS],
    );
    let recorded = 0;
    for (const orphan of orphans) {
      const intended = orphan.after?.intended;
      if (!intended) continue;
      await deps.locks.withLock(intended.lock, async () => {
        const still = await deps.sql.query(`${withoutOutcome(`AND "correlationId" = $1::uuid`)}`, [orphan.correlationId]);
        if (still.length === 0) return;
        const seen = await readBack(deps.graph().client, intended.expect);
        await deps.audit.recordEvent({
          correlationId: orphan.correlationId,
          actor: { oid: orphan.actorOid!, tid: orphan.tenantId, upn: orphan.actorUpn ?? "", name: orphan.actorName ?? "", roles: orphan.actorRoles },
          context: { clientIp: null, userAgent: null },
          action: orphan.action,
          target: { type: orphan.targetType as Parameters<AuditLog["recordEvent"]>[0]["target"]["type"], appId: orphan.targetAppId ?? undefined, id: orphan.targetId ?? undefined, name: orphan.targetName ?? undefined },
          before: orphan.before,
          after: { recordedLate: true, tenant: seen.state },
          justification: orphan.justification,
          // What the tenant shows now: the change holds, or it did not happen (or was undone since).
          outcome: seen.holds ? "succeeded" : "failed",
        });
        recorded += 1;
      });
    }
    return { recorded };
  };
}
