"use server";

import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import { findCatalogApp } from "@/lib/catalog";
import { addAppFromReference } from "@/lib/catalog/add-app";
import { explainFailure } from "@/lib/consent/engine";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { decideRequest, findRequest, grantWizardHref, unnamedApp } from "@/lib/self-service/requests";
import { tenantAppName } from "@/lib/self-service/tenant-facts";
import { denyRequestSchema, requestIdSchema } from "@/lib/validations/self-service";

/**
 * Approving a request for an app outside the catalog: adds the app (audited, as from the Apps page)
 * with the Microsoft Graph permissions the user asked for, then opens the grant wizard's preview for
 * exactly those. Nothing is granted here.
 */
export const addToCatalogAndApproveAction = authorizedAction(["admin"], requestIdSchema, async (input, context): Promise<ActionResult<undefined>> => {
  const request = await findRequest(input.requestId);
  if (!request) return refused("That request does not exist. Nothing was changed.");
  if (request.status !== "open") return refused(`That request was already ${request.status}. Nothing was changed.`);
  if (!(await findCatalogApp(request.appId))) {
    // Never a nameless catalog entry: an app the tenant does not know and nobody named may not exist at all.
    if (request.appName === unnamedApp(request.appId) && !(await tenantAppName(request.appId))) {
      return refused("This app is not in your tenant and nobody named it, so the portal cannot tell whether it exists. Deny the request (the reason is prepared), or add the app from Apps with its name and sign-in URL. Nothing was added.");
    }
    if (request.permissions.length === 0) {
      return refused(`${request.appName} asks for permissions the portal cannot read, and the request names none: add it from Apps with its sign-in URL (it lists them), then approve. Nothing was added.`);
    }
    if (request.permissions.some((api) => api.resourceAppId !== MICROSOFT_GRAPH_APP_ID || api.appRoles.length > 0)) {
      return refused(`${request.appName} asks for more than Microsoft Graph delegated permissions: add it from Apps with its consent URL, then approve. Nothing was added.`);
    }
    const scopes = request.permissions.flatMap((api) => api.scopes);
    try {
      const added = await addAppFromReference(context.user, { reference: request.appId, displayName: request.appName, permissions: scopes }, { actor: context.actor, request: context.request });
      if (!added.ok) return refused(`${added.message} Nothing was added.`);
    } catch (error) {
      unstable_rethrow(error);
      if (error instanceof AuditUnavailableError) return refused(error.message);
      return refused(`${explainFailure(error)} Nothing was added.`);
    }
  }
  // Outside the try: redirect() works by throwing.
  redirect(grantWizardHref(request));
});

/** Denies an open request with a reason the requester sees. Nothing changes in the tenant. */
export const denyRequestAction = authorizedAction(["admin"], denyRequestSchema, async (input, context): Promise<ActionResult<undefined>> => {
  const request = await findRequest(input.requestId);
  if (!request) return refused("That request does not exist. Nothing was changed.");
  if (request.status !== "open") return refused(`That request was already ${request.status}. Nothing was changed.`);
  try {
    const changed = await decideRequest(context, request, { status: "denied", reason: input.reason });
    if (!changed) return refused("Someone else decided this request in the meantime. Nothing was changed.");
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused("The decision could not be saved right now. Try again in a moment.");
  }
  revalidatePath("/admin/requests");
  return { ok: true, message: `Denied: ${request.appName} for ${request.requesterName}.`, data: undefined };
});
