import { AuditUnavailableError, OutcomeNotRecordedError, type AuditActor, type AuditLog, type AuditRequestContext, type AuditTarget } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import { sleep } from "@/lib/graph/middleware";
import { forgetSharedReads } from "@/lib/graph/shared-reads";
import { trackInFlight } from "@/lib/jobs/lifecycle";
import { NotYetReplicatedError } from "@/lib/graph/replication";
import { readBack, type Expectation, type ReadBack } from "./expectations";
import { explainFailure } from "./failure";
import { LockUnavailableError, TargetBusyError, type TargetLocks } from "./target-lock";

/** How one change ended, as the result page lists it and the audit row records it. */
export type StepStatus = "done" | "unchanged" | "blocked" | "failed" | "partial";

export type StepResult = {
  label: string;
  status: StepStatus;
  detail: string;
  /** The audit trail's correlation id of this change (absent for blocked steps: nothing was attempted). */
  intent?: string;
  /** The outcome could not be written at once; reconciliation records it from the tenant's state. */
  recordedLate?: boolean;
};

/** Who changes what, with which Graph session and justification, through which engine (the portal's, or a test's own). */
export type ChangeContext = { graph: GraphSession; actor: AuditActor; request: AuditRequestContext; justification: string; engine: ChangeEngine };

/** One change to one tenant object. */
export type Step<T> = {
  label: string;
  action: string;
  target: AuditTarget;
  /** The object changed (e.g. `grant:<client>:<resource>`): changes to the same key never overlap, in any instance. */
  lock: string;
  /** What the tenant holds now, for the audit row. Read inside the lock, so it is what the write starts from. */
  before: () => Promise<unknown>;
  /**
   * What the tenant must hold afterwards: read back after the write, and by reconciliation later. A
   * function when it depends on the object as read inside the lock (a list replaced whole, say).
   */
  expect: Expectation | ((before: unknown) => Expectation);
  /** Re-reads what it needs and writes. `changed: false` when the tenant already held it. */
  apply: () => Promise<{ value: T; changed: boolean; detail: string }>;
};

/**
 * Thrown by a step's `before` when what it would change is no longer what the admin previewed (or is
 * otherwise not the admin's to change): nothing is written, and the step is reported blocked with this reason.
 */
export class StepBlockedError extends Error {
  override name = "StepBlockedError";
}

/** What the "intended" event keeps for reconciliation: what to read back, and the lock to take while doing it. */
export type Intended = { expect: Expectation; lock: string };

export type ChangeEngine = {
  runStep<T>(context: ChangeContext, step: Step<T>): Promise<{ value: T | null; result: StepResult }>;
};

/** Attempts of write + read-back inside one lock before the step is reported partial. */
const APPLY_ATTEMPTS = 3;
/** Reads after a write before writing again: lists can lag a moment behind a write (eventual consistency). */
const READ_ATTEMPTS = 3;

async function readUntilHeld(graph: GraphSession, expect: Expectation): Promise<ReadBack> {
  let seen = await readBack(graph.client, expect);
  for (let attempt = 1; !seen.holds && attempt < READ_ATTEMPTS; attempt += 1) {
    await sleep(200 * 2 ** attempt);
    seen = await readBack(graph.client, expect);
  }
  return seen;
}

export const blocked = (label: string, reason: string): StepResult => ({ label, status: "blocked", detail: reason });

/**
 * The one audited runner. For each change: take the target's lock (across instances) → write the
 * "intended" event (no audit, no action: if it cannot be written, nothing is sent to Graph) → apply →
 * read the tenant back and re-apply while it does not hold what was asked → write the outcome with what
 * the read-back shows and exactly this step's Graph request-ids. The result says the same as the row.
 */
export function createChangeEngine(deps: { audit: AuditLog; locks: TargetLocks }): ChangeEngine {
  const engine: ChangeEngine = {
    async runStep<T>(context: ChangeContext, step: Step<T>) {
      const { graph } = context;
      const first = graph.calls.length;
      const requestIds = () => graph.calls.slice(first).flatMap((call) => (call.requestId ? [call.requestId] : []));
      const correlationId = crypto.randomUUID();
      try {
        return await deps.locks.withLock(step.lock, async () => {
          const before = await step.before();
          const expect = typeof step.expect === "function" ? step.expect(before) : step.expect;
          return deps.audit.withAudit(
            { actor: context.actor, context: context.request, action: step.action, target: step.target, before, justification: context.justification, intended: { expect, lock: step.lock } satisfies Intended, correlationId },
            async () => {
              try {
                let applied = await step.apply();
                let seen = await readUntilHeld(graph, expect);
                for (let attempt = 1; !seen.holds && attempt < APPLY_ATTEMPTS; attempt += 1) {
                  const again = await step.apply();
                  applied = { ...again, changed: applied.changed || again.changed };
                  seen = await readUntilHeld(graph, expect);
                }
                const status: StepStatus = !seen.holds ? "partial" : applied.changed ? "done" : "unchanged";
                const detail = seen.holds
                  ? applied.detail
                  : `${applied.detail} Read back, Microsoft Graph does not show all of it yet. Run the wizard again to finish; it does only what is missing.`;
                return {
                  result: { value: applied.value, result: { label: step.label, status, detail, intent: correlationId } },
                  after: seen.state,
                  outcome: seen.holds ? ("succeeded" as const) : ("partial" as const),
                  graphRequestIds: requestIds(),
                };
              } catch (error) {
                throw Object.assign(error instanceof Error ? error : new Error(String(error)), { graphRequestIds: requestIds() });
              }
            },
          );
        });
      } catch (error) {
        // No audit, no action: nothing was sent to Graph. The wizard stops and says why.
        if (error instanceof AuditUnavailableError) throw error;
        if (error instanceof LockUnavailableError) throw new AuditUnavailableError({ cause: error });
        if (error instanceof OutcomeNotRecordedError) {
          const made = (error as OutcomeNotRecordedError<{ value: T; result: StepResult }>).result;
          const detail = `${made.result.detail} The audit trail could not record the outcome just now; the portal records it from the tenant's state as soon as the database answers (intent ${error.correlationId}).`;
          return { value: made.value, result: { ...made.result, detail, recordedLate: true } };
        }
        if (error instanceof TargetBusyError) return { value: null, result: blocked(step.label, explainFailure(error)) };
        if (error instanceof StepBlockedError) return { value: null, result: blocked(step.label, error.message) };
        const status: StepStatus = error instanceof NotYetReplicatedError ? "partial" : "failed";
        return { value: null, result: { label: step.label, status, detail: explainFailure(error) } };
      }
    },
  };
  // A graceful shutdown (lib/jobs/lifecycle.ts) waits for changes in flight and their outcome rows.
  // Whatever the step's outcome, the tenant may have changed: tenant facts shared across requests are read afresh.
  return { runStep: (context, step) => trackInFlight(engine.runStep(context, step).finally(forgetSharedReads)) };
}
