import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import type { CatalogApp } from "@/lib/catalog";
import { findServicePrincipal, ResourceDirectory, scopesOf, type ServicePrincipalState } from "@/lib/consent/app-state";
import { appOnlyGraph } from "@/lib/graph/app-only";
import type { GraphSession } from "@/lib/graph/client";
import { listGroupUsers } from "@/lib/graph/directory";
import { listAssignmentsHeldBy, listAssignmentsTo, type RoleAssignment } from "@/lib/graph/app-role-assignments";
import { env } from "@/lib/env";
import { isGraphStatus } from "@/lib/graph/errors";
import { listGrantsOfClient } from "@/lib/graph/grants";
import { rememberShared } from "@/lib/graph/shared-reads";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { findServicePrincipalByAppId, listPermissionClassifications, readDelegatedScopesOf, searchServicePrincipals } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { type PublishedScope, type RequestedPermissions, type StatusFacts } from "./status";

/**
 * Reads what `appStatus` needs from the tenant with the portal's app-only read access (a regular user's
 * token is User.Read only). Everything about other people stays here: only the signed-in person's own
 * grants and assignment are kept.
 */
export type StatusReading = { facts: StatusFacts; servicePrincipal: ServicePrincipalState | null };

async function publishedScopes(graph: GraphSession, resourceAppId: string): Promise<PublishedScope[]> {
  // Both by the API's appId, so neither waits for the other.
  try {
    const [{ scopes }, classifications] = await Promise.all([
      readDelegatedScopesOf(graph.client, resourceAppId),
      listPermissionClassifications(graph.client, resourceAppId),
    ]);
    const low = new Set(classifications.filter((c) => c.classification === "low").map((c) => c.permissionId));
    return scopes.flatMap((s) => (s.value ? [{ value: s.value, adminOnly: s.type === "Admin", lowImpact: low.has(s.id) }] : []));
  } catch (error) {
    if (isGraphStatus(error, 404)) return [];
    throw error;
  }
}

async function isAssigned(graph: GraphSession, assignments: RoleAssignment[], oid: string): Promise<boolean> {
  if (assignments.some((a) => a.principalId === oid)) return true;
  for (const group of assignments.filter((a) => a.principalType === "Group")) {
    if (!group.principalId) continue;
    const members = await listGroupUsers(graph.client, group.principalId, ["id"], { top: 999 });
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
  const [servicePrincipal, userConsentPolicies, published] = await Promise.all([
    findServicePrincipal(graph.client, app.appId),
    // Tenant-wide facts that only an admin changes: shared across requests for a short while (lib/graph/shared-reads.ts).
    rememberShared("userConsentPolicies", () => readUserConsentPolicies(graph.client)),
    Promise.all(requestedApis.map(async (id) => [id, await rememberShared(`publishedScopes:${id}`, () => publishedScopes(graph, id))] as const)).then((entries) => Object.fromEntries(entries)),
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
      listGrantsOfClient(graph.client, servicePrincipal.id),
      wantsAppRoles ? listAssignmentsHeldBy(graph.client, servicePrincipal.id) : [],
      servicePrincipal.appRoleAssignmentRequired ? listAssignmentsTo(graph.client, servicePrincipal.id) : [],
      // Nearly every grant is for Microsoft Graph: knowing its service principal now saves a round trip below.
      resources.byApp(MICROSOFT_GRAPH_APP_ID),
    ]);
    const appIdOf = async (resourceId: string) => (await resources.get(resourceId))?.appId ?? resourceId;
    const relevant = grants.filter((g) => g.consentType === "AllPrincipals" || g.principalId === user.oid);
    const resolved = await Promise.all(relevant.flatMap((g) => (g.resourceId ? [g.resourceId] : []).map(async (resourceId) => ({ grant: g, resourceAppId: await appIdOf(resourceId) }))));
    tenantWide = resolved.filter((r) => r.grant.consentType === "AllPrincipals").map((r) => ({ resourceAppId: r.resourceAppId, scopes: scopesOf(r.grant.scope) }));
    mine = resolved.filter((r) => r.grant.consentType === "Principal").map((r) => ({ resourceAppId: r.resourceAppId, scopes: scopesOf(r.grant.scope) }));
    appRolesGranted = await Promise.all(
      roleAssignments.flatMap(({ resourceId, appRoleId }) =>
        resourceId && appRoleId
          ? [
              (async () => {
                const resource = await resources.get(resourceId);
                return { resourceAppId: resource?.appId ?? resourceId, value: resource?.appRoles.find((role) => role.id === appRoleId)?.value ?? appRoleId };
              })(),
            ]
          : [],
      ),
    );
    assigned = servicePrincipal.appRoleAssignmentRequired ? await isAssigned(graph, assignedTo, user.oid) : false;
  }

  return {
    servicePrincipal,
    facts: {
      appName: servicePrincipal?.displayName ?? app.displayName,
      verifiedPublisher: servicePrincipal ? servicePrincipal.verifiedPublisher !== null : app.verifiedPublisher,
      // An app not in the tenant yet is a third party's: the organization's own apps have their service principal.
      ownTenantApp: servicePrincipal?.appOwnerOrganizationId?.toLowerCase() === env().tenant.tenantId.toLowerCase(),
      requested: app.requested,
      servicePrincipal: servicePrincipal ? { accountEnabled: servicePrincipal.accountEnabled, appRoleAssignmentRequired: servicePrincipal.appRoleAssignmentRequired } : null,
      tenantWide,
      mine,
      appRolesGranted,
      assigned,
      userConsentPolicies,
      publishedScopes: published,
    },
  };
}

/** `readStatusFacts` with the portal's app-only read token: what the "is my app approved" page shows. */
export async function readStatusFactsAsPortal(user: Pick<SignedInUser, "oid">, app: Parameters<typeof readStatusFacts>[2]): Promise<StatusReading> {
  return readStatusFacts(appOnlyGraph(), user, app);
}

/** The app's display name in the tenant, read with the portal's app-only token; null when it is not there or Graph fails. */
export async function tenantAppName(appId: string): Promise<string | null> {
  try {
    return (await findServicePrincipalByAppId(appOnlyGraph().client, appId))?.displayName ?? null;
  } catch {
    return null;
  }
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
  const found = await searchServicePrincipals(graph.client, query.trim(), ["appId", "displayName", "publisherName"], 25);
  for (const sp of found) {
    if (!sp.appId) continue;
    const existing = out.get(sp.appId);
    out.set(sp.appId, existing ? { ...existing, inTenant: true } : { appId: sp.appId, displayName: sp.displayName ?? sp.appId, publisher: sp.publisherName ?? null, inCatalog: false, inTenant: true });
  }
  // Graph's name search matches the start of the name only, the catalog's anywhere in it ("okta" finds
  // "Office 365 Mail for Okta Workflows"): a catalog match the search missed is looked up by its appId,
  // so it is never called "not added" when it is in the tenant.
  const unseen = [...out.values()].filter((match) => match.inCatalog && !match.inTenant).slice(0, 30);
  const inTenant = await Promise.all(unseen.map(async (match) => (await findServicePrincipalByAppId(graph.client, match.appId)) !== null));
  unseen.forEach((match, i) => {
    if (inTenant[i]) out.set(match.appId, { ...match, inTenant: true });
  });
  return [...out.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)).slice(0, 30);
}

/** `searchApps` over the tenant with the portal's app-only read token. */
export async function searchAppsAsPortal(catalog: CatalogApp[], query: string): Promise<AppMatch[]> {
  return searchApps(appOnlyGraph(), catalog, query);
}
