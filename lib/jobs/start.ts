import "server-only";
import { auditSql } from "@/lib/audit";
import { reconcileOutcomes } from "@/lib/consent/engine";
import { createDriftImport } from "@/lib/drift/schedule";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { deliverPendingNotifications } from "@/lib/notifications";
import { every } from "./schedule";

/** The portal's background jobs (instrumentation.ts). Add a job with one `every(...)` line. */
export async function startJobs(): Promise<void> {
  let config;
  try {
    config = env();
  } catch {
    return; // the portal reports its configuration problem on the first request; no jobs without one
  }
  if (config.DRIFT_IMPORT_MINUTES > 0) {
    const importDrift = createDriftImport({ graph: appOnlyGraph, sql: auditSql(), tenantId: config.tenant.tenantId });
    every("drift-import", config.DRIFT_IMPORT_MINUTES * 60_000, async () => void (await importDrift()), { firstRunAfterMs: 60_000 });
  }
  every("notifications", 60_000, async () => void (await deliverPendingNotifications()), { firstRunAfterMs: 15_000 });
  // "Outcome recorded late": no change intent stays without an outcome once the database answers again.
  every("reconcile-outcomes", 60_000, async () => void (await reconcileOutcomes()), { firstRunAfterMs: 20_000 });
}
