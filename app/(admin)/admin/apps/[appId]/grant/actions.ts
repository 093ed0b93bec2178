"use server";

import { revalidatePath } from "next/cache";
import { AuditUnavailableError } from "@/lib/audit";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { findCatalogApp } from "@/lib/catalog";
import { executeGrant } from "@/lib/consent/grant";
import { loadGrantPlan } from "@/lib/consent/grant-wizard";
import type { StepResult } from "@/lib/consent/steps";
import { explainFailure } from "@/lib/consent/steps";
import type { GraphCallRecord } from "@/lib/graph/middleware";
import { graphForUser } from "@/lib/graph/session";
import { grantConsentSchema, selectionFrom } from "@/lib/validations/grant";

export type GrantResult = { steps: StepResult[]; calls: GraphCallRecord[] };

/** Grants tenant-wide admin consent for the chosen permissions of one catalog app. */
export const grantConsentAction = authorizedAction(["admin"], grantConsentSchema, async (input, { user, actor, request }): Promise<ActionResult<GrantResult>> => {
  const app = await findCatalogApp(input.appId);
  if (!app) return refused("This app is not in the portal's catalog. Nothing was changed.");
  const { selection, unknown } = selectionFrom(input, app.permissions);
  if (unknown.length > 0) return { ok: false, message: "Some permissions are not ones this app asks for. Nothing was changed.", fieldErrors: { permissions: unknown } };
  if (selection.delegated.length + selection.appRoles.length === 0) return refused("Choose at least one permission. Nothing was changed.");

  const graph = await graphForUser(user);
  try {
    const { plan } = await loadGrantPlan(graph, user, app, selection);
    const steps = await executeGrant({ graph, actor, request, justification: input.justification, appId: app.appId }, plan, app.displayName);
    revalidatePath(`/admin/apps/${app.appId}`);
    const failed = steps.filter((step) => step.status === "failed" || step.status === "partial").length;
    const message =
      failed > 0
        ? `${failed} step${failed === 1 ? "" : "s"} did not complete. See below; running the wizard again finishes what is missing.`
        : steps.every((step) => step.status === "unchanged" || step.status === "skipped")
          ? "Nothing changed: everything you selected was already granted."
          : `Consent granted for ${app.displayName}.`;
    return { ok: true, message, data: { steps, calls: graph.calls } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
});
