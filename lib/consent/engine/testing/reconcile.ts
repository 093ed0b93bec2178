import { createAuditLog } from "@/lib/audit/audit-log";
import type { AuditSql } from "@/lib/audit/sql";
import type { GraphSession } from "@/lib/graph/client";
import { createReconciler } from "../reconcile";
import { createTargetLocks } from "../target-lock";

/** Test helper: one reconciliation pass over `sql`, reading the tenant through `graph`; `settled` skips the settle wait (the test knows no step is running). */
export async function reconcileWith(sql: AuditSql, graph: () => GraphSession, options: { settled: boolean }): Promise<number> {
  const reconcile = createReconciler({ sql, audit: createAuditLog(sql), locks: createTargetLocks(sql), graph, settleSeconds: options.settled ? 0 : undefined });
  return (await reconcile()).recorded;
}
