import "server-only";
import type { ActionResult } from "@/lib/actions/result";
import { withAudit, type AuditActor, type AuditRequestContext, type AuditTarget } from "@/lib/audit";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import type { PolicyChangeResult } from "./result";

const requestIds = (calls: readonly GraphCallRecord[], from = 0) =>
  calls.slice(from).flatMap((call) => (call.requestId ? [call.requestId] : []));

/**
 * One Graph change under the audit trail (no audit, no action — S16): the intent is written first, then
 * `change` runs, then the outcome with the request-ids of the calls it made. On failure those ids ride
 * on the error so the "failed" row carries them too.
 */
export async function auditedChange<T>(
  calls: GraphCallRecord[],
  input: { actor: AuditActor; context: AuditRequestContext; action: string; target: AuditTarget; before: unknown; justification: string },
  change: () => Promise<{ result: T; after: unknown }>,
): Promise<T> {
  return withAudit(input, async () => {
    const from = calls.length;
    try {
      const { result, after } = await change();
      return { result, after, outcome: "succeeded", graphRequestIds: requestIds(calls, from) };
    } catch (error) {
      if (error && typeof error === "object") Object.assign(error, { graphRequestIds: requestIds(calls, from) });
      throw error;
    }
  });
}

export function failedWithCalls(message: string, calls: GraphCallRecord[]): ActionResult<PolicyChangeResult> & { calls: GraphCallRecord[] } {
  return { ok: false, message, calls: [...calls] };
}

export function changed(message: string, data: Omit<PolicyChangeResult, "calls">, calls: GraphCallRecord[]): ActionResult<PolicyChangeResult> {
  return { ok: true, message, data: { ...data, calls: [...calls] } };
}
