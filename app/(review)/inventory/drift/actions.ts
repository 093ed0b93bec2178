"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError, auditSql } from "@/lib/audit";
import { checkDriftLive, findDrift } from "@/lib/baseline/drift-portal";
import { driftDecisionSchema } from "@/lib/baseline/drift-schema";
import { acceptDrift, DriftNotOpenError, revertDrift, type RevertOutcome } from "@/lib/baseline/drift-resolve";
import { findServicePrincipal } from "@/lib/consent/app-state";
import { changeEngine, explainFailure, summarizeSteps } from "@/lib/consent/engine";
import { asUser, type WizardActionState } from "@/lib/consent/engine/wizard";
import { grantWizard } from "@/lib/consent/grant";
import { revokeWizard } from "@/lib/consent/revoke";

/**
 * An admin's answers to drift: check every baselined app now, accept one drift into the baseline, or
 * revert it through the revoke or grant wizard. Each authorizes itself and validates its input; every
 * change is audited (the baseline write, or the wizard's engine steps).
 */

const revalidateDrift = (appId?: string) => {
  revalidatePath("/inventory/drift");
  if (appId) revalidatePath(`/admin/apps/${appId}`);
};

export const checkDriftNowAction = authorizedAction(["admin"], z.object({}), async (): Promise<ActionResult<undefined>> => {
  try {
    const result = await checkDriftLive("baselined", "check");
    revalidateDrift();
    if (result.checked === 0) return { ok: true, message: "No app has an approved baseline yet: there is nothing to drift from.", data: undefined };
    const found = result.opened.length === 0 ? "no new drift" : result.opened.length === 1 ? "1 new drift" : `${result.opened.length} new drifts`;
    const resolved = result.resolved ? `; ${result.resolved} resolved (the tenant matches again)` : "";
    return { ok: true, message: `Checked ${result.checked} ${result.checked === 1 ? "app" : "apps"}: ${found}${resolved}.`, data: undefined };
  } catch (error) {
    return refused(`${explainFailure(error)} Nothing was recorded.`);
  }
});

export const acceptDriftAction = authorizedAction(["admin"], driftDecisionSchema, async (input, { user, actor, request }): Promise<ActionResult<undefined>> => {
  try {
    const open = await findDrift(input.driftId);
    if (!open || open.status !== "open") throw new DriftNotOpenError();
    // What Microsoft verifies today, read as the admin: accepting approves the app as it is now.
    const verifiedPublisher = (await asUser(user, (graph) => findServicePrincipal(graph.client, open.appId)))?.verifiedPublisher ?? null;
    const drift = await acceptDrift(auditSql(), { driftId: open.id, justification: input.justification, by: { actor, context: request }, now: new Date(), verifiedPublisher });
    revalidateDrift(drift.appId);
    return { ok: true, message: `Accepted into ${drift.appName}'s approved baseline.`, data: undefined };
  } catch (error) {
    if (error instanceof DriftNotOpenError || error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing was changed.`);
  }
});

/** Same result shape as the wizards' actions, so the result step is theirs (AppChangeResult). */
export type RevertDriftState = WizardActionState & { reverted?: boolean };

export const revertDriftAction = authorizedAction(["admin"], driftDecisionSchema, (input, { user, actor, request }) =>
  // The revert is the admin's own change: the wizards' steps run with their Graph token.
  asUser(user, async (graph): Promise<RevertDriftState> => {
    let outcome: RevertOutcome;
    try {
      outcome = await revertDrift(
        auditSql(),
        { graph, actor, request, justification: input.justification, engine: changeEngine(), user, now: () => new Date() },
        input.driftId,
        { revoke: revokeWizard, grant: grantWizard },
      );
    } catch (error) {
      if (error instanceof DriftNotOpenError) return { ok: false, message: error.message, calls: [...graph.calls] };
      const message = error instanceof AuditUnavailableError ? error.message : `${explainFailure(error)} Nothing further was changed.`;
      return { ok: false, message, calls: [...graph.calls] };
    }
    if ("refusal" in outcome) return { ok: false, message: `${outcome.refusal} Nothing was changed.`, calls: [...graph.calls] };
    // No revalidatePath here: it would re-render this page at once, where the drift, now closed, replaces the
    // result with "closed already". The drift page and the app page read the database on every request.
    const words = {
      done: outcome.reverted ? "Reverted: the tenant matches the approved baseline again, and the drift is closed." : "Changed, but the tenant does not match the baseline yet.",
      unchanged: outcome.reverted ? "Nothing needed changing: the tenant already matches the baseline, and the drift is closed." : "Nothing changed.",
    };
    return {
      ok: true,
      reverted: outcome.reverted,
      message: summarizeSteps(outcome.steps, words),
      data: { steps: outcome.steps, calls: [...graph.calls], partial: !outcome.reverted, before: [], after: [], notes: outcome.stillDrifting ? ["The drift is still open: read back, the tenant still differs from the baseline."] : [] },
    };
  }),
);
