import type { Client } from "@microsoft/microsoft-graph-client";
import type { OAuth2PermissionGrant } from "@microsoft/microsoft-graph-types";
import { deletedUnlessGone, orNullIfMissing } from "./errors";
import { listAll } from "./paging";

/** Delegated permission grants (`/oauth2PermissionGrants`): tenant-wide (AllPrincipals) and per-user (Principal). */

export type DelegatedGrant = Required<Pick<OAuth2PermissionGrant, "id" | "clientId" | "consentType" | "resourceId">> & { principalId: string | null; scope: string };

const normalize = (grant: OAuth2PermissionGrant): DelegatedGrant => ({
  id: grant.id ?? "",
  clientId: grant.clientId ?? "",
  consentType: grant.consentType ?? "",
  resourceId: grant.resourceId ?? "",
  principalId: grant.principalId ?? null,
  scope: grant.scope ?? "",
});

/** Every grant of one client app. `$top=999`: Graph can return incomplete grant lists with smaller pages. */
export async function listGrantsOfClient(client: Client, clientId: string): Promise<DelegatedGrant[]> {
  const grants = await listAll<OAuth2PermissionGrant>(client, `/oauth2PermissionGrants?$filter=clientId eq '${clientId}'&$top=999`);
  return grants.map(normalize);
}

/** The one tenant-wide grant of client → resource, or null. */
export async function findTenantWideGrant(client: Client, clientId: string, resourceId: string): Promise<DelegatedGrant | null> {
  const found: { value: OAuth2PermissionGrant[] } = await client
    .api("/oauth2PermissionGrants")
    .filter(`clientId eq '${clientId}' and consentType eq 'AllPrincipals' and resourceId eq '${resourceId}'`)
    .get();
  const grant = found.value[0];
  return grant ? normalize(grant) : null;
}

/** One grant by id; null when it is gone. */
export async function getGrant(client: Client, grantId: string): Promise<DelegatedGrant | null> {
  const grant = await orNullIfMissing<OAuth2PermissionGrant>(client.api(`/oauth2PermissionGrants/${grantId}`).get());
  return grant && normalize(grant);
}

export async function createTenantWideGrant(client: Client, clientId: string, resourceId: string, scope: string): Promise<DelegatedGrant> {
  return normalize(await client.api("/oauth2PermissionGrants").post({ clientId, consentType: "AllPrincipals", resourceId, scope }));
}

/** PATCH replaces the whole scope string: always send every scope that must remain. */
export async function replaceGrantScope(client: Client, grantId: string, scope: string): Promise<void> {
  await client.api(`/oauth2PermissionGrants/${grantId}`).patch({ scope });
}

/** DELETE one grant; false when it was already gone (404). */
export async function deleteGrant(client: Client, grantId: string): Promise<boolean> {
  return deletedUnlessGone(client.api(`/oauth2PermissionGrants/${grantId}`).delete());
}
