import type { Client } from "@microsoft/microsoft-graph-client";
import { listAssignmentsHeldBy, listAssignmentsTo } from "@/lib/graph/app-role-assignments";
import type { GraphSession } from "@/lib/graph/client";
import { usersByIds } from "@/lib/graph/directory";
import { listGrantsOfClient } from "@/lib/graph/grants";
import { findServicePrincipalByAppId, getResourceServicePrincipal, type ServicePrincipalWithPublisher } from "@/lib/graph/service-principals";

/** An app's consent state in the tenant, read through Graph: what the app page and every wizard plan from. */

export type ResourceInfo = { id: string; appId: string; displayName: string; appRoles: { id: string; value: string }[] };

export type ServicePrincipalState = {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  tags: string[];
  publisherName: string | null;
  verifiedPublisher: string | null;
  /** The tenant the app is registered in: this one for the organization's own apps. */
  appOwnerOrganizationId?: string | null;
};

export type TenantWideGrant = { grantId: string; resource: ResourceInfo; scopes: string[] };
export type UserConsent = { grantId: string; resource: ResourceInfo; principalId: string; principalName: string; principalUpn: string; scopes: string[] };
export type AppPermission = { assignmentId: string; resource: ResourceInfo; appRoleId: string; value: string };
export type Assignment = { assignmentId: string; principalType: string; principalId: string; principalDisplayName: string };

export type AppState = {
  servicePrincipal: ServicePrincipalState | null;
  tenantWide: TenantWideGrant[];
  userConsents: UserConsent[];
  appPermissions: AppPermission[];
  /** Users and groups assigned to the app (what "assignment required" lets in). */
  assignments: Assignment[];
};

export const scopesOf = (scope: string | null | undefined) => (scope ?? "").split(" ").filter(Boolean);

/** The app's service principal in the tenant, or null when the app is not there (yet). */
export async function findServicePrincipal(client: Client, appId: string): Promise<ServicePrincipalState | null> {
  const sp = await findServicePrincipalByAppId(client, appId);
  return sp ? toState(sp) : null;
}

function toState(sp: ServicePrincipalWithPublisher): ServicePrincipalState {
  return {
    id: sp.id ?? "",
    appId: sp.appId ?? "",
    displayName: sp.displayName ?? sp.appId ?? "",
    accountEnabled: sp.accountEnabled ?? true,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false,
    tags: sp.tags ?? [],
    publisherName: sp.publisherName ?? null,
    verifiedPublisher: sp.verifiedPublisher?.displayName ?? null,
    appOwnerOrganizationId: sp.appOwnerOrganizationId ?? null,
  };
}

/** Resource (API) service principals by id or appId, fetched once per unit of work. */
export class ResourceDirectory {
  private readonly byId = new Map<string, Promise<ResourceInfo | null>>();
  private readonly byAppId = new Map<string, Promise<ResourceInfo | null>>();

  constructor(private readonly client: Client) {}

  private async fetch(key: { id: string } | { appId: string }): Promise<ResourceInfo | null> {
    const sp = await getResourceServicePrincipal(this.client, key);
    if (!sp?.id || !sp.appId) return null;
    const info = {
      id: sp.id,
      appId: sp.appId,
      displayName: sp.displayName ?? sp.appId,
      appRoles: (sp.appRoles ?? []).flatMap((role) => (role.id && role.value ? [{ id: role.id, value: role.value }] : [])),
    };
    this.byId.set(info.id, Promise.resolve(info));
    this.byAppId.set(info.appId, Promise.resolve(info));
    return info;
  }

  get(id: string): Promise<ResourceInfo | null> {
    if (!this.byId.has(id)) this.byId.set(id, this.fetch({ id }));
    return this.byId.get(id)!;
  }

  byApp(appId: string): Promise<ResourceInfo | null> {
    if (!this.byAppId.has(appId)) this.byAppId.set(appId, this.fetch({ appId }));
    return this.byAppId.get(appId)!;
  }
}

export async function readAppState(graph: GraphSession, appId: string, resources = new ResourceDirectory(graph.client)): Promise<AppState> {
  const servicePrincipal = await findServicePrincipal(graph.client, appId);
  if (!servicePrincipal) return { servicePrincipal: null, tenantWide: [], userConsents: [], appPermissions: [], assignments: [] };
  const [grants, roleAssignments, assignedTo] = await Promise.all([
    listGrantsOfClient(graph.client, servicePrincipal.id),
    listAssignmentsHeldBy(graph.client, servicePrincipal.id),
    listAssignmentsTo(graph.client, servicePrincipal.id),
  ]);
  const resourceIds = [...new Set([...grants.map((g) => g.resourceId), ...roleAssignments.map((a) => a.resourceId)])];
  const resolved = new Map(await Promise.all(resourceIds.map(async (id) => [id, await resources.get(id)] as const)));
  const resourceFor = (id: string): ResourceInfo => resolved.get(id) ?? { id, appId: id, displayName: "Unknown API", appRoles: [] };

  const principalIds = [...new Set(grants.filter((g) => g.consentType === "Principal" && g.principalId).map((g) => g.principalId!))];
  const person = await usersByIds(graph.client, principalIds, ["id", "displayName", "userPrincipalName"], graph.retry);

  return {
    servicePrincipal,
    tenantWide: grants
      .filter((g) => g.consentType === "AllPrincipals")
      .map((g) => ({ grantId: g.id, resource: resourceFor(g.resourceId), scopes: scopesOf(g.scope) })),
    userConsents: grants
      .filter((g) => g.consentType === "Principal" && g.principalId)
      .map((g) => ({
        grantId: g.id,
        resource: resourceFor(g.resourceId),
        principalId: g.principalId!,
        principalName: person.get(g.principalId!)?.displayName ?? "Unknown user",
        principalUpn: person.get(g.principalId!)?.userPrincipalName ?? g.principalId!,
        scopes: scopesOf(g.scope),
      })),
    appPermissions: roleAssignments.map((a) => {
      const resource = resourceFor(a.resourceId);
      return { assignmentId: a.id, resource, appRoleId: a.appRoleId, value: resource.appRoles.find((role) => role.id === a.appRoleId)?.value ?? a.appRoleId };
    }),
    assignments: assignedTo.map((a) => ({ assignmentId: a.id, principalType: a.principalType, principalId: a.principalId, principalDisplayName: a.principalDisplayName ?? a.principalId })),
  };
}
