import "server-only";
import type { ActionContext } from "@/lib/actions/authorized-action";
import type { ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { changeEngine, explainFailure, type Step, type StepResult } from "@/lib/consent/engine";
import type { PolicyChangeResult } from "./result";

export function failedWithCalls(message: string, calls: GraphCallRecord[]): ActionResult<PolicyChangeResult> & { calls: GraphCallRecord[] } {
  return { ok: false, message, calls: [...calls] };
}

export function changed(message: string, data: Omit<PolicyChangeResult, "calls">, calls: GraphCallRecord[]): ActionResult<PolicyChangeResult> {
  return { ok: true, message, data: { ...data, calls: [...calls] } };
}

/** Lock keys of the tenant's policy objects: each is replaced whole by its PUT/PATCH. */
export const policyLock = (policy: string) => `policy:${policy}`;

/**
 * Runs the policy wizards' steps through the change engine (locked, audited, read back) and turns
 * their results into the policy Result step. `words` describe the change as planned; the page's
 * message comes from the steps only, so it never claims more than the tenant holds.
 */
export async function runPolicySteps(
  { actor, request }: ActionContext,
  graph: GraphSession,
  justification: string,
  steps: Step<unknown>[],
  words: { beforeWords: string[]; afterWords: string[]; notes: string[]; done: string; unchanged: string; what: string },
): Promise<ActionResult<PolicyChangeResult>> {
  const results: StepResult[] = [];
  try {
    for (const step of steps) {
      const { result } = await changeEngine().runStep({ graph, actor, request, justification, engine: changeEngine() }, step);
      results.push(result);
      if (result.status === "failed" || result.status === "blocked") break;
    }
  } catch (error) {
    if (error instanceof AuditUnavailableError && results.length === 0) return failedWithCalls(error.message, graph.calls);
    results.push({ label: "The rest", status: "failed", detail: explainFailure(error, words.what) });
  }
  const done = results.filter((r) => r.status === "done").length;
  const stopped = results.find((r) => r.status === "failed" || r.status === "blocked");
  const late = results.filter((r) => r.recordedLate).map((r) => r.detail);
  const notes = [...words.notes, ...late];
  const partial = results.some((r) => r.status === "partial");
  if (stopped && done === 0) return failedWithCalls(`${stopped.detail}${stopped.status === "failed" ? " Nothing was changed." : ""}`, graph.calls);
  const base = { beforeWords: words.beforeWords, afterWords: words.afterWords, notes };
  if (stopped || partial) {
    const why = stopped?.detail ?? results.find((r) => r.status === "partial")?.detail ?? "";
    return changed(`Only ${done} of ${steps.length} changes were made. ${why}`, { outcome: "partial", ...base }, graph.calls);
  }
  if (done === 0) return changed(words.unchanged, { outcome: "unchanged", ...base }, graph.calls);
  return changed(words.done, { outcome: "succeeded", ...base }, graph.calls);
}
