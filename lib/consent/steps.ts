import { AuditUnavailableError, withAudit, type AuditActor, type AuditRequestContext, type AuditTarget } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import { graphFailure } from "@/lib/graph/errors";
import { NotYetReplicatedError } from "@/lib/graph/replication";

/** One change of a wizard as its result page lists it. */
export type StepResult = {
  label: string;
  status: "done" | "unchanged" | "failed" | "skipped" | "partial";
  detail: string;
};

export type ChangeContext = { graph: GraphSession; actor: AuditActor; request: AuditRequestContext; justification: string; appId: string };

/** Graph's words for a failure, made plain for the result page (never a raw stack or body). */
export function explainFailure(error: unknown): string {
  if (error instanceof NotYetReplicatedError) return "Microsoft Graph has not made the new app visible yet. Run the wizard again in a minute to finish (nothing is lost).";
  const failure = graphFailure(error);
  if (!failure) return "An unexpected error stopped this step.";
  if (failure.status === 403) return `Microsoft Entra refused this change for your account (${failure.code}): your role does not allow it.`;
  if (failure.status === 429 || failure.status === 503 || failure.status === 504) return `Microsoft Graph stayed busy (${failure.status}) after several retries. Run the wizard again later.`;
  return `Microsoft Graph refused the change (${failure.status} ${failure.code}): ${failure.message}`;
}

/**
 * Runs one Graph change inside the audit trail (S16): the intent is written first, the outcome after,
 * with the request-ids of exactly the calls this change made.
 */
export async function auditedStep<T>(
  context: ChangeContext,
  step: { action: string; target: AuditTarget; before: unknown; label: string },
  change: () => Promise<{ value: T; after: unknown; status: StepResult["status"]; detail: string }>,
): Promise<{ value: T | null; result: StepResult }> {
  const first = context.graph.calls.length;
  const requestIds = () => context.graph.calls.slice(first).flatMap((call) => (call.requestId ? [call.requestId] : []));
  try {
    return await withAudit(
      { actor: context.actor, context: context.request, action: step.action, target: step.target, before: step.before, justification: context.justification },
      async () => {
        try {
          const outcome = await change();
          return {
            result: { value: outcome.value, result: { label: step.label, status: outcome.status, detail: outcome.detail } },
            after: outcome.after,
            outcome: outcome.status === "partial" ? ("partial" as const) : ("succeeded" as const),
            graphRequestIds: requestIds(),
          };
        } catch (error) {
          throw Object.assign(error instanceof Error ? error : new Error(String(error)), { graphRequestIds: requestIds() });
        }
      },
    );
  } catch (error) {
    // No audit, no action: the wizard stops here and says why.
    if (error instanceof AuditUnavailableError) throw error;
    const status = error instanceof NotYetReplicatedError ? "partial" : "failed";
    return { value: null, result: { label: step.label, status, detail: explainFailure(error) } };
  }
}
