import type { Logger } from "pino";
import { logger } from "@/lib/log";
import type { AuditSql } from "./sql";
import { appendEvents } from "./store";
import { verifySinceLastHead, type RangeRunner, type RoutineResult } from "./verify";

/** The audit action of a scheduled check that found the chain broken (lib/audit/sentence.ts words it). */
export const CHAIN_BROKEN_ACTION = "audit.verifyChain";

/**
 * Rows per read in the portal process. Chosen when a chunk was hashed without yielding (2,000 rows held
 * the event loop for some 15 ms, the full pass's 10,000 for 70 ms or more); verifyRange now hands the
 * event loop back every 500 rows whatever the chunk, and the reads cost little more at this size (one
 * indexed range query per chunk, the next one read while this one is hashed).
 */
export const JOB_CHUNK = 2_000;

export class AuditChainBrokenError extends Error {
  override name = "AuditChainBrokenError";
}

/**
 * The routine audit check as a background job (lib/jobs/start.ts, every AUDIT_CHECK_MINUTES): verifies
 * the events appended after the newest signed head (verifySinceLastHead) and, when they verify, signs
 * and records the new head, so the next run starts there and each run reads only what is new.
 *
 * A broken chain is never quiet: the run logs it at error level with the broken event, the reason and
 * the head it started from, writes a failed `audit.verifyChain` event to the trail (the reviewers'
 * audit list shows it; the event chains after the stored end like any other, so it does not mend the
 * break), and throws, so the job's run is recorded as failed. The next run finds the same break again
 * (no head is recorded past it) and reports it again, until an operator has dealt with it.
 */
export function createScheduledAuditCheck(deps: {
  sql: AuditSql;
  signingKey: string;
  tenantId: string;
  now?: () => Date;
  log?: () => Pick<Logger, "error">;
  /** Worker threads for the ranges (lib/audit/verify-parallel.ts), where the process can start them. */
  parallel?: { runner: RangeRunner; parts: number };
}) {
  const log = deps.log ?? logger;
  return async function runScheduledAuditCheck(): Promise<RoutineResult> {
    const result = await verifySinceLastHead(deps.sql, { chunk: JOB_CHUNK, ...deps.parallel, signingKey: deps.signingKey, record: true, now: deps.now?.() });
    if (result.ok) return result;
    const since = result.since ? `the signed head #${result.since.seq} of ${result.since.exportedAt}` : "the first event (no signed head yet)";
    const message = `Audit chain broken at event ${result.brokenSeq} (${result.reason}): ${result.detail}; checked from ${since}`;
    log().error({ job: "audit-check", brokenSeq: result.brokenSeq, reason: result.reason, detail: result.detail, since: result.since, checked: result.checked }, message);
    await appendEvents(deps.sql, [
      {
        tenantId: deps.tenantId,
        actorOid: null,
        actorUpn: null,
        actorName: "Admin Consent Portal (scheduled audit check)",
        actorRoles: [],
        action: CHAIN_BROKEN_ACTION,
        targetType: "auditLog",
        targetId: result.brokenSeq,
        targetName: "Audit trail hash chain",
        after: { brokenSeq: result.brokenSeq, reason: result.reason, detail: result.detail, since: result.since, checked: result.checked },
        justification: null,
        outcome: "failed",
        graphRequestIds: [],
      },
    ]);
    throw new AuditChainBrokenError(message);
  };
}
