import type { Client } from "@microsoft/microsoft-graph-client";
import type { DelegatedPermissionClassification, PermissionScope, ServicePrincipal } from "@microsoft/microsoft-graph-types";
import { deletedUnlessGone, orNullIfMissing } from "./errors";
import { listAll } from "./paging";

/** Service principals (`/servicePrincipals`): an app's presence in the tenant, its switches, and the APIs it calls. */

/** Graph returns `publisherName` (the publisher's name as the app's home tenant states it), but its v1.0 metadata omits it. */
export type ServicePrincipalWithPublisher = ServicePrincipal & { publisherName?: string | null };

const STATE_FIELDS = ["id", "appId", "displayName", "accountEnabled", "appRoleAssignmentRequired", "tags", "publisherName", "verifiedPublisher", "appOwnerOrganizationId"];
const RESOURCE_FIELDS = ["id", "appId", "displayName", "appRoles"];

const quote = (value: string) => value.replace(/'/g, "''");

/** Service principals whose display name starts with `prefix`: the first `top`, for a name search. */
export async function searchServicePrincipals(
  client: Client,
  prefix: string,
  select: readonly (keyof ServicePrincipalWithPublisher)[],
  top: number,
): Promise<ServicePrincipalWithPublisher[]> {
  const reply: { value: ServicePrincipalWithPublisher[] } = await client
    .api("/servicePrincipals")
    .filter(`startswith(displayName,'${quote(prefix)}')`)
    .select([...select])
    .top(top)
    .get();
  return reply.value;
}

export type ListedServicePrincipal = { appId: string; displayName: string; appOwnerOrganizationId: string | null };

/** Every service principal of the tenant (up to `maxItems`), with what an app picker shows and who owns the app. */
export async function listServicePrincipals(client: Client, maxItems: number): Promise<ListedServicePrincipal[]> {
  const all = await listAll<ServicePrincipal>(client, "/servicePrincipals?$select=appId,displayName,appOwnerOrganizationId&$top=999", { maxItems });
  return all.flatMap((sp) => (sp.appId ? [{ appId: sp.appId, displayName: sp.displayName ?? sp.appId, appOwnerOrganizationId: sp.appOwnerOrganizationId ?? null }] : []));
}

/** The app's service principal, found by appId; null when the app is not in the tenant (yet). */
export async function findServicePrincipalByAppId(client: Client, appId: string): Promise<ServicePrincipalWithPublisher | null> {
  const found: { value: ServicePrincipalWithPublisher[] } = await client.api("/servicePrincipals").filter(`appId eq '${appId}'`).select(STATE_FIELDS).get();
  return found.value[0] ?? null;
}

/** Just whether the object is visible yet (after a create, S12): throws Graph's 404 while it is not. */
export async function readServicePrincipalId(client: Client, id: string): Promise<string> {
  const sp: ServicePrincipal = await client.api(`/servicePrincipals/${id}`).select(["id"]).get();
  return sp.id ?? id;
}

/** An API's service principal with its app roles, by object id or by appId; null on 404. */
export async function getResourceServicePrincipal(client: Client, key: { id: string } | { appId: string }): Promise<ServicePrincipal | null> {
  const path = "id" in key ? `/servicePrincipals/${key.id}` : `/servicePrincipals(appId='${key.appId}')`;
  return orNullIfMissing(client.api(path).select(RESOURCE_FIELDS).get());
}

export async function createServicePrincipal(client: Client, appId: string): Promise<{ id: string }> {
  const created: ServicePrincipal = await client.api("/servicePrincipals").post({ appId });
  return { id: created.id ?? "" };
}

export type ServicePrincipalSwitches = Partial<Pick<ServicePrincipal, "accountEnabled" | "appRoleAssignmentRequired" | "tags">>;

export async function updateServicePrincipal(client: Client, id: string, change: ServicePrincipalSwitches): Promise<void> {
  await client.api(`/servicePrincipals/${id}`).patch(change);
}

/** DELETE the service principal (and with it every grant and assignment of the app); false when already gone. */
export async function deleteServicePrincipal(client: Client, id: string): Promise<boolean> {
  return deletedUnlessGone(client.api(`/servicePrincipals/${id}`).delete());
}

const microsoftGraph = (graphAppId: string) => `/servicePrincipals(appId='${graphAppId}')`;

/** Microsoft Graph's service principal id and its delegated permissions (scopes). */
export async function readDelegatedScopesOf(client: Client, resourceAppId: string): Promise<{ spId: string; scopes: PermissionScope[] }> {
  const sp: ServicePrincipal = await client.api(microsoftGraph(resourceAppId)).select("id,oauth2PermissionScopes").get();
  return { spId: sp.id ?? "", scopes: sp.oauth2PermissionScopes ?? [] };
}

export function listPermissionClassifications(client: Client, resourceAppId: string): Promise<DelegatedPermissionClassification[]> {
  return listAll<DelegatedPermissionClassification>(client, `${microsoftGraph(resourceAppId)}/delegatedPermissionClassifications`);
}

export async function classifyPermission(client: Client, resourceAppId: string, permission: { permissionId: string; permissionName: string }): Promise<{ id: string }> {
  const created: DelegatedPermissionClassification = await client
    .api(`${microsoftGraph(resourceAppId)}/delegatedPermissionClassifications`)
    .post({ ...permission, classification: "low" });
  return { id: created.id ?? "" };
}

/** DELETE a classification; false when it was already gone. */
export async function removePermissionClassification(client: Client, resourceAppId: string, classificationId: string): Promise<boolean> {
  return deletedUnlessGone(client.api(`${microsoftGraph(resourceAppId)}/delegatedPermissionClassifications/${classificationId}`).delete());
}
