"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { runAppWizard, type AppChangeResult } from "@/lib/consent/engine/app-wizard";
import { executeRevoke, loadRevokePlan } from "@/lib/consent/revoke";
import { revokeSchema, revokeSelectionFrom } from "@/lib/validations/revoke";

export type RevokeResult = AppChangeResult;

/** Revokes the chosen consent of one catalog app: scopes, application permissions, users' own consent, or the whole app. */
export const revokeConsentAction = authorizedAction(["admin"], revokeSchema, async (input, context) => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, invalid } = revokeSelectionFrom(input);
  if (invalid.length > 0) return { ok: false, message: "Some of the choices are not valid. Nothing was changed.", fieldErrors: { revoke: invalid } };
  if (selection.scopes.length + selection.appRoles.length + selection.users.length === 0 && !selection.deleteServicePrincipal) {
    return refused("Choose at least one thing to revoke. Nothing was changed.");
  }
  return runAppWizard(context, {
    appId: app.appId,
    justification: input.justification,
    words: {
      done: selection.deleteServicePrincipal ? `${app.displayName} was deleted from the tenant.` : `Consent revoked for ${app.displayName}.`,
      unchanged: "Nothing changed: nothing you chose was granted any more.",
    },
    run: async (change, graph) => executeRevoke(change, (await loadRevokePlan(graph, context.user.wids, app.appId, selection)).plan, app.displayName),
  });
});
