"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import { findCatalogApp, type CatalogPermissions } from "@/lib/catalog";
import { graphDelegatedPermissions, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { createRequest, REQUESTS_PER_HOUR, unnamedApp } from "@/lib/self-service/requests";
import { tenantAppName } from "@/lib/self-service/tenant-facts";
import { createRequestSchema } from "@/lib/validations/self-service";
import { selectionFrom } from "@/lib/consent/grant/schema";

export type CreatedRequest = { requestId: string; already: boolean };

/**
 * The app as a request names it. A catalog app asks for its catalog permissions; an app outside the
 * catalog for the Microsoft Graph delegated permissions its sign-in URL named (the only thing a user can
 * know of it), with its name from the tenant when it is there. Admins add it to the catalog to approve.
 */
async function requestableApp(appId: string): Promise<{ appId: string; displayName: string; permissions: CatalogPermissions }> {
  const cataloged = await findCatalogApp(appId);
  if (cataloged) return cataloged;
  const found = await tenantAppName(appId);
  const scopes = [...graphDelegatedPermissions()];
  return { appId, displayName: found ?? unnamedApp(appId), permissions: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes, appRoles: [] }] };
}

/** A person asks for approval of an app: exactly the permissions they chose among what it asks for, with why. */
export const requestApprovalAction = authorizedAction(["user", "reviewer", "admin"], createRequestSchema, async (input, context): Promise<ActionResult<CreatedRequest>> => {
  const app = await requestableApp(input.appId);
  const { selection, unknown } = selectionFrom(input, app.permissions);
  if (unknown.length > 0) return { ok: false, message: "Some permissions are not ones this app asks for. Nothing was saved.", fieldErrors: { permissions: ["Only the app's own permissions can be requested."] } };
  const permissions = [
    ...new Set([...selection.delegated.map((d) => d.resourceAppId), ...selection.appRoles.map((r) => r.resourceAppId)]),
  ].map((resourceAppId) => ({
    resourceAppId,
    scopes: selection.delegated.find((d) => d.resourceAppId === resourceAppId)?.scopes ?? [],
    appRoles: selection.appRoles.find((r) => r.resourceAppId === resourceAppId)?.values ?? [],
  }));
  // An app outside the catalog whose permissions nobody could tell (no sign-in URL pasted): the person
  // describes what they need in words, and the admin finds out what the app asks for.
  const cataloged = await findCatalogApp(input.appId);
  if (permissions.length === 0 && (cataloged || !input.described)) return refused("Choose at least one permission. Nothing was saved.");
  try {
    const outcome = await createRequest(context, app, permissions, input.justification);
    if (outcome.kind === "rate-limited") return refused(`You can make at most ${REQUESTS_PER_HOUR} requests an hour. Try again later. Nothing was saved.`);
    revalidatePath("/my-apps");
    if (outcome.kind === "exists") return { ok: true, message: `You already requested approval for ${app.displayName}.`, data: { requestId: outcome.id, already: true } };
    return { ok: true, message: `Your request for ${app.displayName} was sent to the admins.`, data: { requestId: outcome.id, already: false } };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused("The request could not be saved right now. Try again in a moment.");
  }
});
