"use server";

import { revalidatePath } from "next/cache";
import { AuditUnavailableError } from "@/lib/audit";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { executeRevoke, loadRevokePlan } from "@/lib/consent/revoke";
import type { StepResult } from "@/lib/consent/steps";
import { explainFailure } from "@/lib/consent/steps";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import { revokeSchema, revokeSelectionFrom } from "@/lib/validations/revoke";

export type RevokeResult = { steps: StepResult[]; calls: GraphCallRecord[]; partial: boolean };

/** Revokes the chosen consent of one catalog app: scopes, application permissions, users' own consent, or the whole app. */
export const revokeConsentAction = authorizedAction(["admin"], revokeSchema, async (input, { user, actor, request }): Promise<ActionResult<RevokeResult>> => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, invalid } = revokeSelectionFrom(input);
  if (invalid.length > 0) return { ok: false, message: "Some of the choices are not valid. Nothing was changed.", fieldErrors: { revoke: invalid } };
  if (selection.scopes.length + selection.appRoles.length + selection.users.length === 0 && !selection.deleteServicePrincipal) {
    return refused("Choose at least one thing to revoke. Nothing was changed.");
  }

  const graph = await graphForUser(user);
  try {
    const { plan } = await loadRevokePlan(graph, user.wids, app.appId, selection);
    const steps = await executeRevoke({ graph, actor, request, justification: input.justification, appId: app.appId }, plan, app.displayName);
    revalidatePath(`/admin/apps/${app.appId}`);
    const failed = steps.filter((step) => step.status === "failed" || step.status === "partial").length;
    const done = steps.filter((step) => step.status === "done").length;
    const message =
      failed > 0
        ? `${done > 0 ? "Partly done: " : ""}${failed} step${failed === 1 ? "" : "s"} did not complete. See below; “Retry the rest” does only what is still missing.`
        : done === 0
          ? "Nothing changed: nothing you chose was granted any more."
          : plan.deleteServicePrincipal
            ? `${app.displayName} was deleted from the tenant.`
            : `Consent revoked for ${app.displayName}.`;
    return { ok: true, message, data: { steps, calls: graph.calls, partial: failed > 0 } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
});
