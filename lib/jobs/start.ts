import "server-only";
import { auditSql } from "@/lib/audit";
import { createScheduledAuditCheck } from "@/lib/audit/scheduled-check";
import { notifyNewDrifts } from "@/lib/baseline/drift-portal";
import { reconcileOutcomes } from "@/lib/consent/engine";
import { dbPool } from "@/lib/db";
import { createDriftImport } from "@/lib/drift/schedule";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { resumeInterruptedScans } from "@/lib/inventory/scan";
import { logger } from "@/lib/log";
import { deliverPendingNotifications } from "@/lib/notifications";
import { recertify } from "@/lib/recertification";
import { jobClaims } from "./claims";
import { claimRunsThrough, every } from "./schedule";

/**
 * The portal's background jobs (instrumentation.ts). Add a job with one `every(...)` line: it runs once
 * per period across all portal instances on the database (each run claims its period in "JobRun").
 */
export async function startJobs(): Promise<void> {
  let config;
  try {
    config = env();
  } catch {
    return; // the portal reports its configuration problem on the first request; no jobs without one
  }
  claimRunsThrough(jobClaims(dbPool()));
  // JOB_PERIOD_SECONDS (tests, drills) replaces every interval, and the first run comes no later than one period.
  const override = config.JOB_PERIOD_SECONDS === undefined ? undefined : config.JOB_PERIOD_SECONDS * 1000;
  const ms = (interval: number) => override ?? interval;
  const after = (delay: number) => ({ firstRunAfterMs: Math.min(delay, override ?? delay) });

  if (config.DRIFT_IMPORT_MINUTES > 0) {
    const importDrift = createDriftImport({ graph: appOnlyGraph, sql: auditSql(), tenantId: config.tenant.tenantId });
    every("drift-import", ms(config.DRIFT_IMPORT_MINUTES * 60_000), async () => void (await importDrift()), after(60_000));
    // Drift the scans and checks found that nobody was told of yet: one message to the reviewers, one to each app's owner.
    // It rides with the scheduled drift work: with DRIFT_IMPORT_MINUTES=0 nobody is told by the portal itself.
    every("drift-notify", ms(60_000), async () => void (await notifyNewDrifts()), after(25_000));
  }
  // The outbox and the daily reminder (enqueued in its hour, once a day by its dedupe key).
  every("notifications", ms(60_000), async () => void (await deliverPendingNotifications()), after(15_000));
  // "Outcome recorded late": no change intent stays without an outcome once the database answers again.
  every("reconcile-outcomes", ms(60_000), async () => void (await reconcileOutcomes()), after(20_000));
  // An inventory scan whose process died (its lease ran out) or that stopped on an outage continues from its last stored page.
  every("inventory-resume", ms(60_000), async () => void (await resumeInterruptedScans()), after(30_000));
  // Recertification: reminders, overdue notices, warnings and automatic revocations as each app's schedule has them due.
  every("recertification", ms(60 * 60_000), async () => void (await recertify()), after(90_000));
  // The routine audit check: the events after the last signed head, then a new signed head; a break is logged, audited, and the run fails.
  if (config.AUDIT_CHECK_MINUTES > 0 && config.AUDIT_HEAD_SIGNING_KEY) {
    const checkAudit = createScheduledAuditCheck({ sql: auditSql(), signingKey: config.AUDIT_HEAD_SIGNING_KEY, tenantId: config.tenant.tenantId });
    every("audit-check", ms(config.AUDIT_CHECK_MINUTES * 60_000), async () => void (await checkAudit()), after(45_000));
  } else if (config.AUDIT_CHECK_MINUTES > 0) {
    logger().info({ job: "audit-check" }, "the routine audit check is off: it records signed heads, so it needs AUDIT_HEAD_SIGNING_KEY");
  }
}
