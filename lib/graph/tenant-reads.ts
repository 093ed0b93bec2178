import type { Client } from "@microsoft/microsoft-graph-client";
import type {
  AppRoleAssignment,
  AuthorizationPolicy,
  DelegatedPermissionClassification,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from "@microsoft/microsoft-graph-types";
import { listAll } from "./paging";

/**
 * The read side of service principals, grants, app role assignments and the authorization policy that
 * users' self-service needs (lib/self-service/tenant-facts.ts, the request action). Kept apart from the
 * wizards' resource modules until they hold these reads themselves.
 */

const quote = (value: string) => value.replace(/'/g, "''");
/** Graph's alternate key: a service principal addressed by its app's ID, without looking its object ID up first. */
const byAppId = (appId: string) => `/servicePrincipals(appId='${appId}')`;

export async function getServicePrincipalByAppId(client: Client, appId: string, select: readonly (keyof ServicePrincipal)[]): Promise<ServicePrincipal> {
  return client.api(byAppId(appId)).select([...select]).get();
}

/** The tenant's service principals of one app (none or one), one page. */
export async function findServicePrincipalsByAppId(client: Client, appId: string, select: readonly (keyof ServicePrincipal)[]): Promise<ServicePrincipal[]> {
  const reply: { value: ServicePrincipal[] } = await client.api("/servicePrincipals").filter(`appId eq '${appId}'`).select([...select]).get();
  return reply.value;
}

/** Graph returns `publisherName` (the publisher's name as the app's home tenant states it), but its v1.0 metadata omits it. */
export type ListedServicePrincipal = ServicePrincipal & { publisherName?: string | null };

/** Service principals whose display name starts with `prefix`: the first `top`, for a name search. */
export async function searchServicePrincipals(
  client: Client,
  prefix: string,
  select: readonly (keyof ListedServicePrincipal)[],
  top: number,
): Promise<ListedServicePrincipal[]> {
  const reply: { value: ListedServicePrincipal[] } = await client
    .api("/servicePrincipals")
    .filter(`startswith(displayName,'${quote(prefix)}')`)
    .select([...select])
    .top(top)
    .get();
  return reply.value;
}

/** The classifications of an API's delegated permissions (e.g. Microsoft Graph's "low" ones), by the API's app ID. */
export async function listPermissionClassificationsByAppId(client: Client, resourceAppId: string): Promise<DelegatedPermissionClassification[]> {
  return listAll<DelegatedPermissionClassification>(client, `${byAppId(resourceAppId)}/delegatedPermissionClassifications`);
}

export async function getAuthorizationPolicy(client: Client): Promise<AuthorizationPolicy> {
  return client.api("/policies/authorizationPolicy").get();
}

/** Every delegated grant of one client app: tenant-wide and per user. $top=999, or Graph may return fewer than exist. */
export async function listGrantsOfClient(client: Client, clientServicePrincipalId: string): Promise<OAuth2PermissionGrant[]> {
  return listAll<OAuth2PermissionGrant>(client, `/oauth2PermissionGrants?$filter=clientId eq '${clientServicePrincipalId}'&$top=999`);
}

/** The application permissions a service principal holds (its app role assignments as the client). */
export async function listAppRoleAssignments(client: Client, servicePrincipalId: string): Promise<AppRoleAssignment[]> {
  return listAll<AppRoleAssignment>(client, `/servicePrincipals/${servicePrincipalId}/appRoleAssignments?$top=999`);
}

/** Who is assigned to a service principal (users, groups, client apps). */
export async function listAppRoleAssignedTo(client: Client, servicePrincipalId: string): Promise<AppRoleAssignment[]> {
  return listAll<AppRoleAssignment>(client, `/servicePrincipals/${servicePrincipalId}/appRoleAssignedTo?$top=999`);
}
