import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppConsentRequest, UserConsentRequest, UserIdentity } from "@microsoft/microsoft-graph-types";
import { listAll } from "./paging";

/**
 * Entra's admin consent requests (sim/graph/routes/consent-requests.ts): read only, since Graph offers no
 * way to approve or deny them (GRAPH.md fact 1). "Pending" is Graph's InProgress.
 */

const BASE = "/identityGovernance/appConsent/appConsentRequests";
const PENDING = "userConsentRequests/any(u:u/status eq 'InProgress')";

/** Requests someone is still waiting on: all of the tenant's, or (`mineOnly`) those naming the caller as reviewer. */
export async function listPendingAppConsentRequests(client: Client, options: { mineOnly: boolean }): Promise<AppConsentRequest[]> {
  const path = options.mineOnly ? `${BASE}/filterByCurrentUser(on='reviewer')?$filter=${PENDING}` : `${BASE}?$filter=${PENDING}`;
  return listAll<AppConsentRequest>(client, path);
}

export async function getAppConsentRequest(client: Client, requestId: string): Promise<AppConsentRequest> {
  return client.api(`${BASE}/${requestId}`).get();
}

/** Graph sends `createdBy.user` as a userIdentity (with userPrincipalName); the metadata types name only its base type. */
export type PendingUserConsentRequest = Omit<UserConsentRequest, "createdBy"> & { createdBy?: { user?: UserIdentity | null } | null };

/** The people still waiting on one request: its InProgress user requests, with who made them and why. */
export async function listPendingUserConsentRequests(client: Client, requestId: string): Promise<PendingUserConsentRequest[]> {
  return listAll<PendingUserConsentRequest>(client, `${BASE}/${requestId}/userConsentRequests?$filter=status eq 'InProgress'`);
}

/**
 * The requests one person made on Entra's "Approval required" screen, whatever their status now (read with
 * the portal's app-only ConsentRequest.Read.All: a user's own token cannot list them). Graph documents
 * `$filter` on both collections; the `createdBy/user/id` path is the simulator's reading of it (GRAPH.md).
 */
export async function listAppConsentRequestsBy(client: Client, userId: string): Promise<AppConsentRequest[]> {
  return listAll<AppConsentRequest>(client, `${BASE}?$filter=userConsentRequests/any(u:u/createdBy/user/id eq '${encodeURIComponent(userId)}')`);
}

/** That person's own user requests on one of Entra's requests, with their status (InProgress, Expired, Completed). */
export async function listUserConsentRequestsBy(client: Client, requestId: string, userId: string): Promise<PendingUserConsentRequest[]> {
  return listAll<PendingUserConsentRequest>(client, `${BASE}/${requestId}/userConsentRequests?$filter=createdBy/user/id eq '${encodeURIComponent(userId)}'`);
}
