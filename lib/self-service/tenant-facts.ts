import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import type { CatalogApp } from "@/lib/catalog";
import { findServicePrincipal, ResourceDirectory, scopesOf, type ServicePrincipalState } from "@/lib/consent/app-state";
import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { listAll } from "@/lib/graph/paging";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type { PublishedScope, RequestedPermissions, StatusFacts } from "./status";

/**
 * Reads what `appStatus` needs from the tenant with the portal's app-only read access (a regular user's
 * token is User.Read only). Everything about other people stays here: only the signed-in person's own
 * grants and assignment are kept.
 */
type RawGrant = { clientId: string; consentType: "AllPrincipals" | "Principal"; principalId: string | null; resourceId: string; scope: string };
type RawAssignment = { appRoleId: string; principalId: string; principalType: string; resourceId: string };
type RawScope = { id: string; value: string; type: "User" | "Admin"; isEnabled?: boolean };

export type StatusReading = { facts: StatusFacts; servicePrincipal: ServicePrincipalState | null };

async function publishedScopes(graph: GraphSession, resourceAppId: string): Promise<PublishedScope[]> {
  // Both by the API's appId (Graph's alternate key), so neither waits for the other.
  const byAppId = `/servicePrincipals(appId='${resourceAppId}')`;
  try {
    const [sp, classifications] = await Promise.all([
      graph.client.api(byAppId).select(["id", "oauth2PermissionScopes"]).get() as Promise<{ id: string; oauth2PermissionScopes?: RawScope[] }>,
      listAll<{ permissionId: string; classification: string }>(graph.client, `${byAppId}/delegatedPermissionClassifications`),
    ]);
    const low = new Set(classifications.filter((c) => c.classification === "low").map((c) => c.permissionId));
    return (sp.oauth2PermissionScopes ?? []).map((s) => ({ value: s.value, adminOnly: s.type === "Admin", lowImpact: low.has(s.id) }));
  } catch (error) {
    if (isGraphStatus(error, 404)) return [];
    throw error;
  }
}

async function isAssigned(graph: GraphSession, assignments: RawAssignment[], oid: string): Promise<boolean> {
  if (assignments.some((a) => a.principalId === oid)) return true;
  for (const group of assignments.filter((a) => a.principalType === "Group")) {
    const members = await listAll<{ id: string }>(graph.client, `/groups/${group.principalId}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`);
    if (members.some((m) => m.id === oid)) return true;
  }
  return false;
}

export async function readStatusFacts(
  graph: GraphSession,
  user: Pick<SignedInUser, "oid">,
  app: { appId: string; displayName: string; verifiedPublisher: boolean; requested: RequestedPermissions | null },
): Promise<StatusReading> {
  const resources = new ResourceDirectory(graph.client);
  const requestedApis = [...new Set((app.requested ?? []).map((r) => r.resourceAppId.toLowerCase()))];
  // Independent reads in one round: each round trip to Graph costs more than any of them takes there.
  const [servicePrincipal, policy, published] = await Promise.all([
    findServicePrincipal(graph.client, app.appId),
    graph.client.api("/policies/authorizationPolicy").get() as Promise<{ defaultUserRolePermissions?: { permissionGrantPoliciesAssigned?: string[] } }>,
    Promise.all(requestedApis.map(async (id) => [id, await publishedScopes(graph, id)] as const)).then((entries) => Object.fromEntries(entries)),
  ]);

  let tenantWide: StatusFacts["tenantWide"] = [];
  let mine: StatusFacts["mine"] = [];
  let appRolesGranted: StatusFacts["appRolesGranted"] = [];
  let assigned = false;
  if (servicePrincipal) {
    // Application permissions matter only for an app known to ask for some, assignments only when the app
    // requires them: skipping the other reads saves Graph calls on every check.
    const wantsAppRoles = (app.requested ?? []).some((api) => api.appRoles.length > 0);
    const [grants, roleAssignments, assignedTo] = await Promise.all([
      listAll<RawGrant>(graph.client, `/oauth2PermissionGrants?$filter=clientId eq '${servicePrincipal.id}'&$top=999`),
      wantsAppRoles ? listAll<RawAssignment>(graph.client, `/servicePrincipals/${servicePrincipal.id}/appRoleAssignments?$top=999`) : [],
      servicePrincipal.appRoleAssignmentRequired ? listAll<RawAssignment>(graph.client, `/servicePrincipals/${servicePrincipal.id}/appRoleAssignedTo?$top=999`) : [],
      // Nearly every grant is for Microsoft Graph: knowing its service principal now saves a round trip below.
      resources.byApp(MICROSOFT_GRAPH_APP_ID),
    ]);
    const appIdOf = async (resourceId: string) => (await resources.get(resourceId))?.appId ?? resourceId;
    const relevant = grants.filter((g) => g.consentType === "AllPrincipals" || g.principalId === user.oid);
    const resolved = await Promise.all(relevant.map(async (g) => ({ grant: g, resourceAppId: await appIdOf(g.resourceId) })));
    tenantWide = resolved.filter((r) => r.grant.consentType === "AllPrincipals").map((r) => ({ resourceAppId: r.resourceAppId, scopes: scopesOf(r.grant.scope) }));
    mine = resolved.filter((r) => r.grant.consentType === "Principal").map((r) => ({ resourceAppId: r.resourceAppId, scopes: scopesOf(r.grant.scope) }));
    appRolesGranted = await Promise.all(
      roleAssignments.map(async (a) => {
        const resource = await resources.get(a.resourceId);
        return { resourceAppId: resource?.appId ?? a.resourceId, value: resource?.appRoles.find((role) => role.id === a.appRoleId)?.value ?? a.appRoleId };
      }),
    );
    assigned = servicePrincipal.appRoleAssignmentRequired ? await isAssigned(graph, assignedTo, user.oid) : false;
  }

  return {
    servicePrincipal,
    facts: {
      appName: servicePrincipal?.displayName ?? app.displayName,
      verifiedPublisher: servicePrincipal ? servicePrincipal.verifiedPublisher !== null : app.verifiedPublisher,
      requested: app.requested,
      servicePrincipal: servicePrincipal ? { accountEnabled: servicePrincipal.accountEnabled, appRoleAssignmentRequired: servicePrincipal.appRoleAssignmentRequired } : null,
      tenantWide,
      mine,
      appRolesGranted,
      assigned,
      userConsentPolicies: policy.defaultUserRolePermissions?.permissionGrantPoliciesAssigned ?? [],
      publishedScopes: published,
    },
  };
}

/** What the app asks for: the catalog's entry, else the Graph scopes of a pasted sign-in URL, else unknown. */
export function requestedPermissions(catalogApp: CatalogApp | null, pastedGraphScopes: string[]): RequestedPermissions | null {
  if (catalogApp) return catalogApp.permissions;
  if (pastedGraphScopes.length > 0) return [{ resourceAppId: "00000003-0000-0000-c000-000000000000", scopes: pastedGraphScopes, appRoles: [] }];
  return null;
}

export type AppMatch = { appId: string; displayName: string; publisher: string | null; inCatalog: boolean; inTenant: boolean };

/** The catalog and the tenant's service principals whose name starts with (catalog: contains) `query`. */
export async function searchApps(graph: GraphSession, catalog: CatalogApp[], query: string): Promise<AppMatch[]> {
  const needle = query.trim().toLowerCase();
  const out = new Map<string, AppMatch>();
  for (const app of catalog) {
    if (app.displayName.toLowerCase().includes(needle)) out.set(app.appId, { appId: app.appId, displayName: app.displayName, publisher: app.publisher, inCatalog: true, inTenant: false });
  }
  const escaped = query.trim().replace(/'/g, "''");
  const found: { value: { appId: string; displayName: string; publisherName?: string | null }[] } = await graph.client
    .api("/servicePrincipals")
    .filter(`startswith(displayName,'${escaped}')`)
    .select(["appId", "displayName", "publisherName"])
    .top(25)
    .get();
  for (const sp of found.value) {
    const existing = out.get(sp.appId);
    out.set(sp.appId, existing ? { ...existing, inTenant: true } : { appId: sp.appId, displayName: sp.displayName, publisher: sp.publisherName ?? null, inCatalog: false, inTenant: true });
  }
  return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, 30);
}
