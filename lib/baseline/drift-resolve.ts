import type { AuditSql } from "@/lib/audit/sql";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAppState } from "@/lib/consent/app-state";
import type { Refusal, WizardReadContext } from "@/lib/consent/engine/wizard";
import type { ChangeContext, StepResult } from "@/lib/consent/engine/run-step";
import type { GrantInput } from "@/lib/consent/grant/schema";
import type { RevokeInput } from "@/lib/consent/revoke/schema";
import type { GraphSession } from "@/lib/graph/client";
import { detectAppDrift, revertSelection, type RevertPlan } from "./drift";
import { driftAppFromState, usersHolding } from "./drift-check";
import { baselinesFor, closeDrift, readDrift, recordDrifts, type DriftRecord } from "./drift-store";
import { saveBaseline, type BaselineWriter } from "./store";
import { permissionKey, type BaselinePermission } from "./types";

/**
 * An admin's two answers to a drift. Accept: the baseline takes the tenant's state in (one audited
 * baseline write, source "drift-accepted", whose justification names the drift — that event is the
 * acceptance's record; the drift row points back to it by its reason). Revert: the tenant goes back to
 * the baseline through the revoke or grant wizard's own load and execute, each change a change-engine
 * step with its read-back; then the app's consent is read again and the drift closes as reverted only
 * if it is gone.
 */

// wizard.ts's own isRefusal lives beside the server-action wrapper (and the sign-in it needs): not imported here
const isRefusal = (value: unknown): value is Refusal => typeof value === "object" && value !== null && typeof (value as { refusal?: unknown }).refusal === "string";

export class DriftNotOpenError extends Error {
  constructor() {
    super("This drift is closed already: someone accepted or reverted it, or the tenant matches the baseline again.");
  }
}

/** The baseline after accepting `drift`: what the tenant holds now becomes approved. */
export function acceptedPermissions(current: readonly BaselinePermission[], drift: Pick<DriftRecord, "kind" | "permissions">): BaselinePermission[] {
  if (drift.kind === "unapproved-app") return [...drift.permissions];
  if (drift.kind === "added") return [...current, ...drift.permissions];
  if (drift.kind === "removed") {
    const gone = new Set(drift.permissions.map(permissionKey));
    return current.filter((p) => !gone.has(permissionKey(p)));
  }
  return [...current];
}

/** Words for the baseline event's justification: the admin's reason, and which drift it accepts. */
export const acceptanceJustification = (justification: string, drift: Pick<DriftRecord, "id" | "detail">) =>
  `${justification.trim()} — accepting drift ${drift.id}: ${drift.detail}`;

export async function acceptDrift(
  sql: AuditSql,
  input: { driftId: string; justification: string; by: BaselineWriter; now: Date; /** the app's verified publisher now, read from the tenant */ verifiedPublisher: string | null },
): Promise<DriftRecord> {
  const drift = await readDrift(sql, input.driftId);
  if (!drift || drift.status !== "open") throw new DriftNotOpenError();
  const baseline = (await baselinesFor(sql, [drift.appId]))[0] ?? null;
  await saveBaseline(
    {
      appId: drift.appId,
      displayName: drift.appName,
      permissions: acceptedPermissions(baseline?.permissions ?? [], drift),
      // accepting a lost verification approves the app as it is now; other drifts keep what was approved
      verifiedPublisher: drift.kind === "publisher-unverified" || !baseline ? input.verifiedPublisher : baseline.verifiedPublisher,
      source: "drift-accepted",
      justification: acceptanceJustification(input.justification, drift),
    },
    input.by,
  );
  await closeDrift(sql, drift.id, { status: "accepted", by: { upn: input.by.actor.upn, name: input.by.actor.name }, reason: input.justification.trim(), now: input.now });
  return { ...drift, status: "accepted" };
}

/** The wizard input that reverts `drift`, from the tenant as it is now (users' own consent is found live). */
export async function revertPlanFor(graph: GraphSession, drift: DriftRecord): Promise<RevertPlan> {
  const principal = drift.permissions.filter((p) => p.consentType === "Principal");
  const users = principal.length ? usersHolding(await readAppState(graph, drift.appId), principal) : [];
  return revertSelection(drift, users);
}

/** The part of a wizard reverting uses: its own load (the plan, or why not) and execute (each change an engine step). */
type RevertWizard<Input, Plan> = {
  load(context: WizardReadContext, input: Omit<Input, "justification">): Promise<Plan | Refusal>;
  execute(context: ChangeContext, plan: Plan, input: Input): Promise<StepResult[]>;
};
/** The portal passes lib/consent/revoke's and lib/consent/grant's wizards. */
export type RevertWizards<R, G> = { revoke: RevertWizard<RevokeInput, R>; grant: RevertWizard<GrantInput, G> };

export type RevertOutcome = { steps: StepResult[]; reverted: boolean; stillDrifting: boolean } | Refusal;

export async function revertDrift<R, G>(
  sql: AuditSql,
  context: ChangeContext & { user: SignedInUser; now: () => Date },
  driftId: string,
  wizards: RevertWizards<R, G>,
): Promise<RevertOutcome> {
  const drift = await readDrift(sql, driftId);
  if (!drift || drift.status !== "open") throw new DriftNotOpenError();
  const { graph, user, justification } = context;
  const plan = await revertPlanFor(graph, drift);
  if (!plan) return { refusal: "A lost publisher verification cannot be put back from the portal: accept it, or revoke the app's consent from its page." };
  let steps: StepResult[];
  if (plan.wizard === "revoke") {
    const input = { appId: drift.appId, s: plan.s, r: plan.r, u: plan.u, justification };
    const loaded = await wizards.revoke.load({ graph, user }, input);
    if (isRefusal(loaded)) return loaded;
    steps = await wizards.revoke.execute(context, loaded, input);
  } else {
    const input = { appId: drift.appId, d: plan.d, r: plan.r, justification };
    const loaded = await wizards.grant.load({ graph, user }, input);
    if (isRefusal(loaded)) return loaded;
    steps = await wizards.grant.execute(context, loaded, input);
  }
  // The steps read their own changes back; this reads the app as a whole, as the next check would.
  const state = await readAppState(graph, drift.appId);
  const baseline = (await baselinesFor(sql, [drift.appId]))[0] ?? null;
  const found = detectAppDrift(driftAppFromState(drift.appId, state), baseline);
  const stillDrifting = found.some((d) => d.key === drift.key);
  const failed = steps.some((step) => step.status === "failed" || step.status === "partial" || step.status === "blocked");
  const reverted = !stillDrifting && !failed;
  if (reverted) {
    await closeDrift(sql, drift.id, { status: "reverted", by: { upn: context.actor.upn, name: context.actor.name }, reason: justification.trim(), now: context.now() });
  }
  // the app's other drifts as the tenant is now (a revoke of users' consent can settle more than one)
  await recordDrifts(sql, { detected: found, scope: [drift.appId], detectedBy: "check", now: context.now() });
  return { steps, reverted, stillDrifting };
}
