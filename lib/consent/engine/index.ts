import "server-only";
import { auditLog, auditSql } from "@/lib/audit";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { createReconciler } from "./reconcile";
import { createChangeEngine, type ChangeEngine } from "./run-step";
import { createTargetLocks } from "./target-lock";

export { blocked, StepBlockedError, type ChangeContext, type Step, type StepResult, type StepStatus } from "./run-step";
export { explainFailure } from "./failure";
export { summarizeSteps } from "./summary";

const globalForEngine = globalThis as unknown as { changeEngine?: ChangeEngine };

/** The portal's change engine over its one database: every tenant change goes through its runStep. */
export function changeEngine(): ChangeEngine {
  globalForEngine.changeEngine ??= createChangeEngine({ audit: auditLog(), locks: createTargetLocks(auditSql()) });
  return globalForEngine.changeEngine;
}

/**
 * One reconciliation pass (a background job): records, from the tenant's state read with the portal's
 * read-only app token, the outcome of every change whose outcome could not be written at the time.
 */
export function reconcileOutcomes(): Promise<{ recorded: number }> {
  const sql = auditSql();
  return createReconciler({ sql, audit: auditLog(), locks: createTargetLocks(sql), graph: appOnlyGraph })();
}
