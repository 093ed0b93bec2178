import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { authorizedAction, type ActionContext } from "@/lib/actions/authorized-action";
import type { ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import type { GraphSession } from "@/lib/graph/client";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import type { PortalRole } from "@/lib/roles";
import { explainFailure } from "./failure";
import { changeEngine } from "./index";
import type { ChangeContext, StepResult } from "./run-step";
import { summarizeSteps } from "./summary";

/** Why a wizard will not go ahead, found before any change ("Nothing was changed." is added by the action, not here: previews show it too). */
export type Refusal = { refusal: string; fieldErrors?: Record<string, string[]> };
export const refuse = (refusal: string, fieldErrors?: Record<string, string[]>): Refusal => ({ refusal, fieldErrors });
export const isRefusal = (value: unknown): value is Refusal =>
  typeof value === "object" && value !== null && typeof (value as { refusal?: unknown }).refusal === "string";

/** What `load` gets: Graph as the signed-in person, and who that is (their Entra roles decide what is blocked). */
export type WizardReadContext = { graph: GraphSession; user: SignedInUser };

/** The words around a result. The message itself comes from the steps (summarizeSteps), never from here alone. */
export type WizardWords = { done: string; unchanged: string; before?: string[]; after?: string[]; notes?: string[]; revalidate: string[] };

/**
 * One wizard, one shape. A wizard is a folder `lib/consent/<wizard>/`: `schema.ts` (zod, the action's
 * input), `plan.ts` (pure: the diff the preview shows), `load.ts` (Graph reads → plan), `execute.ts`
 * (each change a change-engine step) and `index.ts` putting them together as a `Wizard`. Its
 * `actions.ts` is one line, `wizardAction(theWizard)`, and its page renders `previewWizard(...)`.
 */
export type Wizard<Input extends { justification: string }, Plan> = {
  /** Portal roles that may run it: the action authorizes itself with these before reading input. */
  roles: readonly PortalRole[];
  schema: z.ZodType<Input>;
  /** Reads the tenant and plans. The preview page and the action run this same function. */
  load(context: WizardReadContext, input: Omit<Input, "justification">): Promise<Plan | Refusal>;
  /** Carries the plan out, each change one step of the change engine. */
  execute(context: ChangeContext, plan: Plan, input: Input): Promise<StepResult[]>;
  describe(plan: Plan, input: Input): WizardWords;
};

/** What every wizard's action returns to its Result step. */
export type WizardResult = { steps: StepResult[]; calls: GraphCallRecord[]; partial: boolean; before: string[]; after: string[]; notes: string[] };
/** A refusal still lists the Graph calls made while reading (with their request-ids). */
export type WizardActionState = ActionResult<WizardResult> & { calls?: GraphCallRecord[] };

async function runWizard<Input extends { justification: string }, Plan>(wizard: Wizard<Input, Plan>, input: Input, { user, actor, request }: ActionContext): Promise<WizardActionState> {
  const graph = await graphForUser(user);
  try {
    const plan = await wizard.load({ graph, user }, input);
    if (isRefusal(plan)) return { ok: false, message: `${plan.refusal} Nothing was changed.`, fieldErrors: plan.fieldErrors, calls: [...graph.calls] };
    const words = wizard.describe(plan, input);
    const steps = await wizard.execute({ graph, actor, request, justification: input.justification, engine: changeEngine() }, plan, input);
    for (const path of words.revalidate) revalidatePath(path);
    return {
      ok: true,
      message: summarizeSteps(steps, words),
      data: {
        steps,
        calls: [...graph.calls],
        partial: steps.some((step) => step.status === "failed" || step.status === "partial"),
        before: words.before ?? [],
        after: words.after ?? [],
        notes: words.notes ?? [],
      },
    };
  } catch (error) {
    // Thrown only before the first change (no audit, no action) or by a read: nothing further was changed.
    const message = error instanceof AuditUnavailableError ? error.message : `${explainFailure(error)} Nothing further was changed.`;
    return { ok: false, message, calls: [...graph.calls] };
  }
}

/** The server action of a wizard: authorizes itself, validates with the wizard's schema, runs it. */
export function wizardAction<Input extends { justification: string }, Plan>(wizard: Wizard<Input, Plan>): (previous: WizardActionState | null, formData: FormData) => Promise<WizardActionState> {
  return authorizedAction(wizard.roles, wizard.schema, (input, context) => runWizard(wizard, input, context));
}

/** For preview pages: the action's own load, as the signed-in person (pages never touch lib/graph). */
export async function previewWizard<Input extends { justification: string }, Plan>(wizard: Wizard<Input, Plan>, user: SignedInUser, input: Omit<Input, "justification">): Promise<Plan | Refusal> {
  return wizard.load({ graph: await graphForUser(user), user }, input);
}

/**
 * `work` runs with Graph as the signed-in person (their own token, narrowed to their role, so Entra
 * enforces it): for pages that only read, and for actions that run wizard steps outside a wizard's own
 * action (a drift's revert). Pages and actions never touch lib/graph themselves.
 */
export async function asUser<T>(user: SignedInUser, work: (graph: GraphSession) => Promise<T>): Promise<T> {
  return work(await graphForUser(user));
}

/** For pages that only read: `read` runs with Graph as the signed-in person. */
export const readAsUser = asUser;
