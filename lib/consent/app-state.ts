import type { Client } from "@microsoft/microsoft-graph-client";
import { batch } from "@/lib/graph/batch";
import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { listAll } from "@/lib/graph/paging";

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

type RawSp = {
  id: string;
  appId: string;
  displayName: string;
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
  tags?: string[];
  publisherName?: string | null;
  verifiedPublisher?: { displayName?: string | null } | null;
  appRoles?: { id: string; value: string | null }[];
};
type RawGrant = { id: string; clientId: string; consentType: "AllPrincipals" | "Principal"; principalId: string | null; resourceId: string; scope: string };
type RawAssignment = { id: string; appRoleId: string; principalId: string; principalType: string; principalDisplayName?: string; resourceId: string };

const SP_FIELDS = ["id", "appId", "displayName", "accountEnabled", "appRoleAssignmentRequired", "tags", "publisherName", "verifiedPublisher"];

export const scopesOf = (scope: string | null | undefined) => (scope ?? "").split(" ").filter(Boolean);

/** The app's service principal in the tenant, or null when the app is not there (yet). */
export async function findServicePrincipal(client: Client, appId: string): Promise<ServicePrincipalState | null> {
  const found: { value: RawSp[] } = await client.api("/servicePrincipals").filter(`appId eq '${appId}'`).select(SP_FIELDS).get();
  const sp = found.value[0];
  return sp ? toState(sp) : null;
}

function toState(sp: RawSp): ServicePrincipalState {
  return {
    id: sp.id,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: sp.accountEnabled ?? true,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false,
    tags: sp.tags ?? [],
    publisherName: sp.publisherName ?? null,
    verifiedPublisher: sp.verifiedPublisher?.displayName ?? null,
  };
}

/** Resource (API) service principals by id or appId, fetched once per unit of work. */
export class ResourceDirectory {
  private readonly byId = new Map<string, Promise<ResourceInfo | null>>();
  private readonly byAppId = new Map<string, Promise<ResourceInfo | null>>();

  constructor(private readonly client: Client) {}

  private async fetch(path: string): Promise<ResourceInfo | null> {
    try {
      const sp: RawSp = await this.client.api(path).select(["id", "appId", "displayName", "appRoles"]).get();
      const info = { id: sp.id, appId: sp.appId, displayName: sp.displayName, appRoles: (sp.appRoles ?? []).flatMap((role) => (role.value ? [{ id: role.id, value: role.value }] : [])) };
      this.byId.set(info.id, Promise.resolve(info));
      this.byAppId.set(info.appId, Promise.resolve(info));
      return info;
    } catch (error) {
      if (isGraphStatus(error, 404)) return null;
      throw error;
    }
  }

  get(id: string): Promise<ResourceInfo | null> {
    if (!this.byId.has(id)) this.byId.set(id, this.fetch(`/servicePrincipals/${id}`));
    return this.byId.get(id)!;
  }

  byApp(appId: string): Promise<ResourceInfo | null> {
    if (!this.byAppId.has(appId)) this.byAppId.set(appId, this.fetch(`/servicePrincipals(appId='${appId}')`));
    return this.byAppId.get(appId)!;
  }
}

export async function readAppState(graph: GraphSession, appId: string, resources = new ResourceDirectory(graph.client)): Promise<AppState> {
  const servicePrincipal = await findServicePrincipal(graph.client, appId);
  if (!servicePrincipal) return { servicePrincipal: null, tenantWide: [], userConsents: [], appPermissions: [], assignments: [] };
  const [grants, roleAssignments, assignedTo] = await Promise.all([
    // $top=999: Graph can return incomplete grant lists with smaller pages (GRAPH.md).
    listAll<RawGrant>(graph.client, `/oauth2PermissionGrants?$filter=clientId eq '${servicePrincipal.id}'&$top=999`),
    listAll<RawAssignment>(graph.client, `/servicePrincipals/${servicePrincipal.id}/appRoleAssignments?$top=999`),
    listAll<RawAssignment>(graph.client, `/servicePrincipals/${servicePrincipal.id}/appRoleAssignedTo?$top=999`),
  ]);
  const resourceIds = [...new Set([...grants.map((g) => g.resourceId), ...roleAssignments.map((a) => a.resourceId)])];
  const resolved = new Map(await Promise.all(resourceIds.map(async (id) => [id, await resources.get(id)] as const)));
  const resourceFor = (id: string): ResourceInfo => resolved.get(id) ?? { id, appId: id, displayName: "Unknown API", appRoles: [] };

  const principalIds = [...new Set(grants.filter((g) => g.consentType === "Principal" && g.principalId).map((g) => g.principalId!))];
  const people = await batch(
    graph.client,
    principalIds.map((id) => ({ id, method: "GET" as const, url: `/users/${id}?$select=id,displayName,userPrincipalName` })),
    graph.retry,
  );
  const person = new Map(people.map((reply) => [reply.id, reply.status === 200 ? (reply.body as { displayName?: string; userPrincipalName?: string }) : null]));

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
