import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import type { AppRoleAssignment, OAuth2PermissionGrant } from "@microsoft/microsoft-graph-types";
import type { ScannedAppRoleAssignment, ScannedDelegatedGrant, ScannedServicePrincipal, ScannedSignInActivity } from "@/lib/inventory/types";
import { batch, type BatchResponse } from "./batch";
import { directoryObjectsByIds, type TypedDirectoryObject } from "./directory";
import type { RetryOptions } from "./retry-policy";
import type { ServicePrincipalWithPublisher } from "./service-principals";

/**
 * The consent inventory's reads (lib/inventory/scan), one page at a time so the scan can store each page
 * and keep its resume point: the link of the next page, exactly as Graph wrote it. No `$expand`: an
 * expanded relationship of a directory object holds at most 20 items, so grants and assignments are
 * read from their own collections.
 */

/** Graph's largest page for directory objects. */
export const INVENTORY_PAGE_SIZE = 999;

/** Only what the inventory shows: every property left out costs Graph work and transfer. */
const SP_SELECT = [
  "id", "appId", "displayName", "publisherName", "verifiedPublisher", "appOwnerOrganizationId", "signInAudience",
  "accountEnabled", "appRoleAssignmentRequired", "servicePrincipalType", "appRoles", "createdDateTime",
].join(",");

/** The first page of each collection the scan reads; later pages come from `@odata.nextLink`. */
export const INVENTORY_FIRST_PAGES = {
  servicePrincipals: `/servicePrincipals?$select=${SP_SELECT}&$top=${INVENTORY_PAGE_SIZE}`,
  /** every delegated grant of the tenant in one paged collection, not one call per client */
  grants: `/oauth2PermissionGrants?$top=${INVENTORY_PAGE_SIZE}`,
} as const;

/**
 * Beta `reports/servicePrincipalSignInActivities`: each app's last sign-in, as a client or as an API,
 * on a user's behalf or app-only, one row per app that signed in at all (AuditLog.Read.All). One paged
 * collection for the whole tenant instead of the sign-in log per app. Beta only, and Graph answers 403
 * where the tenant lacks the licence for sign-in reports: the scan goes on without it. The largest page
 * asked for, as everywhere in the scan: the default page is small and each page is a round trip.
 */
export const SIGN_IN_ACTIVITIES_FIRST_PAGE = `/reports/servicePrincipalSignInActivities?$top=${INVENTORY_PAGE_SIZE}`;

type RawActivity = { lastSignInDateTime?: string | null } | null | undefined;
type RawSignInActivity = { appId?: string | null; lastSignInActivity?: RawActivity; delegatedClientSignInActivity?: RawActivity;
  delegatedResourceSignInActivity?: RawActivity; applicationAuthenticationClientSignInActivity?: RawActivity; applicationAuthenticationResourceSignInActivity?: RawActivity };

const newest = (...times: (string | null | undefined)[]): string | null =>
  times.reduce<string | null>((best, time) => (time && (!best || Date.parse(time) > Date.parse(best)) ? time : best), null);

/** lastSignInActivity is the newest of the four; taken from them too in case Graph leaves it out. */
const toSignInActivity = (a: RawSignInActivity): ScannedSignInActivity => ({
  appId: (a.appId ?? "").toLowerCase(),
  lastSignIn: newest(a.lastSignInActivity?.lastSignInDateTime, a.delegatedClientSignInActivity?.lastSignInDateTime, a.delegatedResourceSignInActivity?.lastSignInDateTime,
    a.applicationAuthenticationClientSignInActivity?.lastSignInDateTime, a.applicationAuthenticationResourceSignInActivity?.lastSignInDateTime),
});

/** One page of the sign-in activity report; `link` is the first page's path or a nextLink (absolute, beta). */
export async function readSignInActivityPage(client: Client, link: string): Promise<InventoryPage<ScannedSignInActivity>> {
  const request = /^https?:/i.test(link) ? client.api(link) : client.api(link).version("beta");
  const page: RawPage<RawSignInActivity> = await request.get();
  return { items: (page.value ?? []).map(toSignInActivity).filter((a) => a.appId && a.lastSignIn), nextLink: page["@odata.nextLink"] ?? null };
}

/** Graph's refusal of the sign-in report (no permission, no licence, the beta API absent): the scan continues without it. */
export function isSignInReportRefused(error: unknown): boolean {
  return error instanceof GraphError && (error.statusCode === 403 || error.statusCode === 404 || (error.statusCode === 400 && !isExpiredPageToken(error)));
}

/** The first page of the application permissions granted on one API (who holds its app roles). */
export const assignedToFirstPage = (resourceId: string) => `/servicePrincipals/${resourceId}/appRoleAssignedTo?$top=${INVENTORY_PAGE_SIZE}`;

export type InventoryPage<T> = { items: T[]; nextLink: string | null };

type RawPage<T> = { value?: T[]; "@odata.nextLink"?: string };

const toServicePrincipal = (sp: ServicePrincipalWithPublisher): ScannedServicePrincipal => ({
  id: sp.id ?? "",
  appId: sp.appId ?? "",
  displayName: sp.displayName ?? sp.appId ?? "",
  publisherName: sp.publisherName ?? null,
  verifiedPublisher: sp.verifiedPublisher?.displayName ?? null,
  appOwnerOrganizationId: sp.appOwnerOrganizationId ?? null,
  signInAudience: sp.signInAudience ?? null,
  accountEnabled: sp.accountEnabled ?? true,
  appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false,
  servicePrincipalType: sp.servicePrincipalType ?? null,
  // only the roles an app can hold (allowedMemberTypes includes Application): user-only roles are no permission
  appRoles: (sp.appRoles ?? [])
    .filter((role) => !role.allowedMemberTypes || role.allowedMemberTypes.includes("Application"))
    .map((role) => ({ id: role.id ?? "", value: role.value ?? null })),
  createdDateTime: (sp as { createdDateTime?: string | null }).createdDateTime ?? null,
});

const toGrant = (g: OAuth2PermissionGrant): ScannedDelegatedGrant => ({
  id: g.id ?? "",
  clientId: g.clientId ?? "",
  resourceId: g.resourceId ?? "",
  consentType: g.consentType === "Principal" ? "Principal" : "AllPrincipals",
  principalId: g.principalId ?? null,
  scope: g.scope ?? "",
});

const toAssignment = (a: AppRoleAssignment): ScannedAppRoleAssignment => ({
  id: a.id ?? "",
  principalId: a.principalId ?? "",
  principalType: a.principalType ?? "",
  resourceId: a.resourceId ?? "",
  appRoleId: a.appRoleId ?? "",
  createdDateTime: a.createdDateTime ?? null,
});

async function readPage<G, T>(client: Client, link: string, map: (item: G) => T): Promise<InventoryPage<T>> {
  const page: RawPage<G> = await client.api(link).get();
  return { items: (page.value ?? []).map(map), nextLink: page["@odata.nextLink"] ?? null };
}

export const readServicePrincipalPage = (client: Client, link: string) => readPage(client, link, toServicePrincipal);
export const readGrantPage = (client: Client, link: string) => readPage(client, link, toGrant);
export const readAssignedToPage = (client: Client, link: string) => readPage(client, link, toAssignment);

export type AssignedToFirstPage = { resourceId: string; page: InventoryPage<ScannedAppRoleAssignment> } | { resourceId: string; failure: BatchResponse };

/**
 * The first appRoleAssignedTo page of several APIs in $batch round trips (20 parts each): most APIs
 * hold fewer than 999 assignments, so one part is all they need. Throttled parts are retried by
 * `batch` itself; any other failed part is handed back for the caller to judge.
 */
export async function readAssignedToFirstPages(client: Client, resourceIds: readonly string[], retry: RetryOptions): Promise<{ pages: AssignedToFirstPage[]; attempts: number; throttled: number }> {
  const replies = await batch(client, resourceIds.map((resourceId) => ({ id: resourceId, method: "GET" as const, url: assignedToFirstPage(resourceId) })), retry);
  let attempts = 0;
  let throttled = 0;
  const pages = replies.map((reply): AssignedToFirstPage => {
    attempts += Math.max(1, reply.attempts);
    throttled += Math.max(0, reply.attempts - 1);
    if (reply.status !== 200) return { resourceId: reply.id, failure: reply };
    const body = reply.body as RawPage<AppRoleAssignment>;
    return { resourceId: reply.id, page: { items: (body.value ?? []).map(toAssignment), nextLink: body["@odata.nextLink"] ?? null } };
  });
  return { pages, attempts, throttled };
}

/** A failed $batch part as the error a direct call would have thrown, so one error path judges both. */
export function batchPartError(failure: BatchResponse): GraphError {
  const body = failure.body as { error?: { code?: string; message?: string } } | null;
  const error = new GraphError(failure.status, body?.error?.message ?? `The $batch part failed with ${failure.status}.`);
  error.code = body?.error?.code ?? null;
  return error;
}

/** Service principals by id in bulk (getByIds, 1,000 a call): those a grant names that the listing did not hold. */
export async function servicePrincipalsByIds(client: Client, ids: readonly string[]): Promise<ScannedServicePrincipal[]> {
  const found = await directoryObjectsByIds(client, ids, ["servicePrincipal"]);
  return [...found.values()].map((object: TypedDirectoryObject) => toServicePrincipal(object as ServicePrincipalWithPublisher));
}

/**
 * Graph's answer to a `$skiptoken` it no longer honours: 400 Directory_ExpiredPageToken ("The specified
 * page token value has expired and can no longer be included in your request."). The token cannot be
 * renewed: the collection is read again from its first page.
 */
export function isExpiredPageToken(error: unknown): boolean {
  return error instanceof GraphError && error.statusCode === 400 && error.code === "Directory_ExpiredPageToken";
}
