"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { runAppWizard, type AppChangeResult } from "@/lib/consent/engine/app-wizard";
import { executeGrant } from "@/lib/consent/grant";
import { loadGrantPlan } from "@/lib/consent/grant-wizard";
import { grantConsentSchema, selectionFrom } from "@/lib/validations/grant";

export type GrantResult = AppChangeResult;

/** Grants tenant-wide admin consent for the chosen permissions of one catalog app. */
export const grantConsentAction = authorizedAction(["admin"], grantConsentSchema, async (input, context) => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, unknown } = selectionFrom(input, app.permissions);
  if (unknown.length > 0) return { ok: false, message: "Some permissions are not ones this app asks for. Nothing was changed.", fieldErrors: { permissions: unknown } };
  if (selection.delegated.length + selection.appRoles.length === 0) return refused("Choose at least one permission. Nothing was changed.");
  return runAppWizard(context, {
    appId: app.appId,
    justification: input.justification,
    words: { done: `Consent granted for ${app.displayName}.`, unchanged: "Nothing changed: everything you selected was already granted." },
    run: async (change, graph) => executeGrant(change, (await loadGrantPlan(graph, context.user, app, selection)).plan, app.displayName),
  });
});
