"use server";

import { revalidatePath } from "next/cache";
import { AuditUnavailableError } from "@/lib/audit";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { executeAccess, loadAccessPlan } from "@/lib/consent/access";
import type { StepResult } from "@/lib/consent/steps";
import { explainFailure } from "@/lib/consent/steps";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import { accessSchema, accessSelectionFrom, nothingChosen } from "@/lib/validations/access";

export type AccessResult = { steps: StepResult[]; calls: GraphCallRecord[]; partial: boolean };

/** Restricts one catalog app and assigns or unassigns users and groups (seed 003). */
export const restrictAndAssignAction = authorizedAction(["admin"], accessSchema, async (input, { user, actor, request }): Promise<ActionResult<AccessResult>> => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, invalid } = accessSelectionFrom(input);
  if (invalid.length > 0) return { ok: false, message: "Some of the choices are not valid. Nothing was changed.", fieldErrors: { access: invalid } };
  if (nothingChosen(selection)) return refused("Choose at least one change. Nothing was changed.");

  const graph = await graphForUser(user);
  try {
    const { plan } = await loadAccessPlan(graph, user.wids, app.appId, selection);
    if (!plan.servicePrincipalId) return refused(`${app.displayName} is not in your tenant. Nothing was changed.`);
    if (plan.unknown.length > 0) return refused(`Not found in your tenant: ${plan.unknown.join(", ")}. Nothing was changed.`);
    const steps = await executeAccess({ graph, actor, request, justification: input.justification, appId: app.appId }, plan, app.displayName);
    revalidatePath(`/admin/apps/${app.appId}`);
    const failed = steps.filter((step) => step.status === "failed" || step.status === "partial").length;
    const done = steps.filter((step) => step.status === "done").length;
    const message =
      failed > 0
        ? `${done > 0 ? "Partly done: " : ""}${failed} step${failed === 1 ? "" : "s"} did not complete. See below; “Retry the rest” does only what is still missing.`
        : done === 0
          ? "Nothing changed: everything you chose was already so."
          : `Access to ${app.displayName} updated.`;
    return { ok: true, message, data: { steps, calls: graph.calls, partial: failed > 0 } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
});
