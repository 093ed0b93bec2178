import "server-only";
import { auditLog, auditSql } from "@/lib/audit";
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
