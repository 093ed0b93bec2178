"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { executeAccess, loadAccessPlan } from "@/lib/consent/access";
import { runAppWizard, type AppChangeResult } from "@/lib/consent/engine/app-wizard";
import { accessSchema, accessSelectionFrom, nothingChosen } from "@/lib/validations/access";

export type AccessResult = AppChangeResult;

/** Restricts one catalog app and assigns or unassigns users and groups (seed 003). */
export const restrictAndAssignAction = authorizedAction(["admin"], accessSchema, async (input, context) => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, invalid } = accessSelectionFrom(input);
  if (invalid.length > 0) return { ok: false, message: "Some of the choices are not valid. Nothing was changed.", fieldErrors: { access: invalid } };
  if (nothingChosen(selection)) return refused("Choose at least one change. Nothing was changed.");
  return runAppWizard(context, {
    appId: app.appId,
    justification: input.justification,
    words: { done: `Access to ${app.displayName} updated.`, unchanged: "Nothing changed: everything you chose was already so." },
    run: async (change, graph) => {
      const { plan } = await loadAccessPlan(graph, context.user.wids, app.appId, selection);
      if (!plan.servicePrincipalId) return { refusal: `${app.displayName} is not in your tenant. Nothing was changed.` };
      if (plan.unknown.length > 0) return { refusal: `Not found in your tenant: ${plan.unknown.join(", ")}. Nothing was changed.` };
      return executeAccess(change, plan, app.displayName);
    },
  });
});
