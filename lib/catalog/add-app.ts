import "server-only";
import { withAudit, type AuditActor, type AuditRequestContext } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAppState } from "@/lib/consent/app-state";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { isPublishedGraphPermission, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { parseAppReference } from "./app-reference";
import { addCatalogApp, findCatalogApp } from "./index";

export type AddAppOutcome =
  | { ok: true; appId: string; displayName: string }
  | { ok: false; message: string; field: "reference" | "displayName" | "permissions" };

/**
 * Adds an app to the catalog from what the admin pasted. Its name, publisher and current permissions
 * come from its service principal when the app is in the tenant; otherwise the admin names it and the
 * pasted URL (or the list they typed) says what it asks for. Bad input stores nothing. The tenant is
 * read as the signed-in admin (an ended sign-in redirects to sign in again).
 */
export async function addAppFromReference(
  user: SignedInUser,
  input: { reference: string; displayName?: string; permissions: string[] },
  who: { actor: AuditActor; request: AuditRequestContext },
): Promise<AddAppOutcome> {
  const reference = parseAppReference(input.reference);
  if (!reference.ok) return { ok: false, message: reference.message, field: "reference" };
  const existing = await findCatalogApp(reference.appId);
  if (existing) return { ok: false, message: `${existing.displayName} is already in the catalog.`, field: "reference" };

  const state = await readAsUser(user, (graph) => readAppState(graph, reference.appId));
  const sp = state.servicePrincipal;
  const displayName = sp?.displayName ?? input.displayName;
  if (!displayName) {
    return { ok: false, message: "This app is not in your tenant yet, so the portal cannot look up its name: give it one.", field: "displayName" };
  }
  const graphGrants = state.tenantWide.filter((grant) => grant.resource.appId === MICROSOFT_GRAPH_APP_ID).flatMap((grant) => grant.scopes);
  const scopes = [...new Set([...reference.graphScopes, ...input.permissions, ...graphGrants])];
  const unknown = scopes.filter((scope) => !isPublishedGraphPermission("delegated", scope));
  if (unknown.length > 0) {
    return { ok: false, message: `Not Microsoft Graph delegated permissions: ${unknown.join(", ")}.`, field: "permissions" };
  }
  const appRoles = state.appPermissions.filter((p) => p.resource.appId === MICROSOFT_GRAPH_APP_ID).map((p) => p.value);
  if (scopes.length + appRoles.length === 0) {
    return {
      ok: false,
      message: "The portal needs to know which permissions the app asks for: paste its sign-in URL (it lists them) or type them.",
      field: "permissions",
    };
  }
  const app = {
    appId: reference.appId,
    displayName,
    publisher: sp?.publisherName ?? null,
    verifiedPublisher: !!sp?.verifiedPublisher,
    permissions: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes, appRoles }],
  };
  await withAudit(
    { actor: who.actor, context: who.request, action: "catalog.addApp", target: { type: "app", appId: app.appId, name: displayName }, before: null, justification: null },
    async () => {
      await addCatalogApp(app, { oid: who.actor.oid, upn: who.actor.upn });
      return { result: undefined, after: app, outcome: "succeeded", graphRequestIds: [] };
    },
  );
  return { ok: true, appId: app.appId, displayName };
}
