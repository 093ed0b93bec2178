import "server-only";
import type { AuditActor, AuditRequestContext } from "@/lib/audit";
import type { GraphSession } from "@/lib/graph/client";
import { readAppState } from "@/lib/consent/app-state";
import { explainFailure } from "@/lib/consent/engine/failure";
import type { StepResult } from "@/lib/consent/engine/run-step";
import { describeBaselinePermission, heldOfChosen, heldPermissions, mergeApproved, sameApproved, shrinkApproved } from "./merge";
import { readBaseline, saveBaseline } from "./store";
import { permissionKey, type BaselinePermission, type BaselineSource } from "./types";

/**
 * Keeping the approved baseline in step with what the portal grants and revokes. Each runs after a
 * wizard's steps, reads the tenant back and writes the baseline from what it holds now — so the baseline
 * never claims a permission a failed step did not grant. Its outcome is one more step on the result
 * page: a baseline that could not be saved says so, and the tenant change it follows stands.
 */

export const BASELINE_STEP_LABEL = "Approved baseline";

type Who = { graph: GraphSession; actor: AuditActor; request: AuditRequestContext; justification: string };

const list = (permissions: readonly BaselinePermission[]) => permissions.map(describeBaselinePermission).join(", ");

function notRecorded(error: unknown, what: string): StepResult {
  // In the portal's words: never Graph's or the database's own message (explainFailure).
  const reason = explainFailure(error, "read the app's consent");
  return {
    label: BASELINE_STEP_LABEL,
    status: "failed",
    detail: `The tenant change above stands, but the approved baseline could not be ${what}: ${reason} Run the wizard again, or adopt the app into the baseline from its page, to record it.`,
  };
}

/**
 * After a grant (the wizard, an approved request, an admin-consent link): of `chosen`, what the tenant
 * holds now is added to the app's baseline; nothing is ever dropped by a grant.
 */
export async function recordGrantInBaseline(
  who: Who,
  grant: { appId: string; displayName: string; chosen: BaselinePermission[]; source: BaselineSource; requestId?: string | null },
): Promise<StepResult> {
  try {
    const state = await readAppState(who.graph, grant.appId);
    const held = heldPermissions(state);
    const { approved, notHeld } = heldOfChosen(grant.chosen, held);
    const missing = notHeld.length > 0 ? ` Not recorded, because the tenant does not hold them: ${list(notHeld)}.` : "";
    if (approved.length === 0) return { label: BASELINE_STEP_LABEL, status: "unchanged", detail: `Nothing recorded: the tenant holds none of the chosen permissions.${missing}` };
    const existing = await readBaseline(grant.appId);
    const permissions = mergeApproved(existing?.permissions ?? [], approved);
    if (existing && sameApproved(existing.permissions, permissions)) {
      return { label: BASELINE_STEP_LABEL, status: "unchanged", detail: `Already approved (baseline version ${existing.version}).${missing}` };
    }
    const saved = await saveBaseline(
      {
        appId: grant.appId,
        displayName: grant.displayName,
        permissions,
        verifiedPublisher: state.servicePrincipal?.verifiedPublisher ?? null,
        source: grant.source,
        justification: who.justification,
        requestId: grant.requestId ?? null,
      },
      { actor: who.actor, context: who.request },
    );
    const before = new Set((existing?.permissions ?? []).map(permissionKey));
    const added = approved.filter((p) => !before.has(permissionKey(p)));
    return { label: BASELINE_STEP_LABEL, status: "done", detail: `Recorded as approved (version ${saved.version}): ${list(added)}.${missing}` };
  } catch (error) {
    return notRecorded(error, "recorded");
  }
}

export type RevokeTouch =
  /** the app was deleted or blocked: every approved permission goes, unless the tenant still holds it */
  | { everything: true }
  | { everything: false; permissions: Pick<BaselinePermission, "resourceAppId" | "consentType" | "value">[]; usersOwnConsent: boolean };

/**
 * After a revoke: the approved permissions it removed — those it touched that the tenant, read back, no
 * longer holds — leave the baseline. Null when the app has no baseline or the revoke touched nothing in it.
 */
export async function recordRevokeInBaseline(who: Who, revoke: { appId: string; displayName: string; touched: RevokeTouch }): Promise<StepResult | null> {
  try {
    const existing = await readBaseline(revoke.appId);
    if (!existing) return null;
    const touched = revoke.touched.everything
      ? existing.permissions
      : [...revoke.touched.permissions, ...(revoke.touched.usersOwnConsent ? existing.permissions.filter((p) => p.consentType === "Principal") : [])];
    const state = await readAppState(who.graph, revoke.appId);
    const { remaining, removed } = shrinkApproved(existing.permissions, touched, heldPermissions(state));
    if (removed.length === 0) {
      const kept = shrinkApproved(existing.permissions, touched, []).removed;
      if (kept.length === 0) return null;
      return { label: BASELINE_STEP_LABEL, status: "unchanged", detail: `Still approved, because the tenant still holds them: ${list(kept)}.` };
    }
    const saved = await saveBaseline(
      {
        appId: revoke.appId,
        displayName: revoke.displayName,
        permissions: remaining,
        verifiedPublisher: state.servicePrincipal?.verifiedPublisher ?? existing.verifiedPublisher,
        source: "revoke",
        justification: who.justification,
        requestId: null,
      },
      { actor: who.actor, context: who.request },
    );
    return { label: BASELINE_STEP_LABEL, status: "done", detail: `No longer approved (version ${saved.version}): ${list(removed)}.` };
  } catch (error) {
    return notRecorded(error, "updated");
  }
}
