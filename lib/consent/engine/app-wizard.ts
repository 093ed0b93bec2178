import "server-only";
import { revalidatePath } from "next/cache";
import type { ActionContext } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import { explainFailure } from "./failure";
import { changeEngine } from "./index";
import type { ChangeContext, StepResult } from "./run-step";
import { summarizeSteps } from "./summary";

/** What every app wizard's action returns to its Result step. */
export type AppChangeResult = { steps: StepResult[]; calls: GraphCallRecord[]; partial: boolean };

/**
 * The body every app wizard's action shares: act as the signed-in admin, run the wizard's steps
 * through the change engine, and turn them into one message that says no more than the steps do.
 * `run` may refuse before any change (a plain message); an error stops the wizard with plain words.
 */
export async function runAppWizard(
  { user, actor, request }: ActionContext,
  options: {
    appId: string;
    justification: string;
    words: { done: string; unchanged: string };
    run: (context: ChangeContext & { appId: string }, graph: GraphSession) => Promise<StepResult[] | { refusal: string }>;
  },
): Promise<ActionResult<AppChangeResult>> {
  const graph = await graphForUser(user);
  try {
    const outcome = await options.run({ graph, actor, request, justification: options.justification, appId: options.appId, engine: changeEngine() }, graph);
    if ("refusal" in outcome) return refused(outcome.refusal);
    revalidatePath(`/admin/apps/${options.appId}`);
    const partial = outcome.some((step) => step.status === "failed" || step.status === "partial");
    return { ok: true, message: summarizeSteps(outcome, options.words), data: { steps: outcome, calls: graph.calls, partial } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
}
