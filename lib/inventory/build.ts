import { heldPermissionRisk, type RiskLevel } from "@/lib/permissions";
import { USER_IDS_CAP, type HeldPermission, type InventoryApp, type ScannedAppRoleAssignment, type ScannedDelegatedGrant, type ScannedServicePrincipal } from "./types";

/**
 * One client app's consent, derived from the raw rows a scan stored: its delegated grants (tenant-wide
 * and each user's own) and its application permissions, one HeldPermission per scope or app role, with
 * the permission's risk from the catalog (lib/permissions heldPermissionRisk). Pure: the scan feeds it one app at a time.
 */

/** Microsoft's own tenant: service principals of apps it owns are first-party. */
export const MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
const MULTI_TENANT_AUDIENCES = new Set(["AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"]);

/** An API as the app's permissions name it. */
export type ResourceInfo = { appId: string; displayName: string; appRoles: Map<string, string | null> };

export function resourceInfo(sp: ScannedServicePrincipal): ResourceInfo {
  return { appId: sp.appId, displayName: sp.displayName, appRoles: new Map(sp.appRoles.map((role) => [role.id.toLowerCase(), role.value])) };
}

const RISK_ORDER: Record<RiskLevel, number> = { Critical: 0, High: 1, Medium: 2, Low: 3, Unrated: 4 };

/** The scopes of a grant, as Graph stores them: space-separated, possibly with doubled spaces. */
export const scopesOf = (scope: string): string[] => scope.split(" ").filter((value) => value.length > 0);

export function buildInventoryApp(input: {
  sp: ScannedServicePrincipal;
  grants: readonly ScannedDelegatedGrant[];
  assignments: readonly ScannedAppRoleAssignment[];
  resources: ReadonlyMap<string, ResourceInfo>;
  tenantId: string;
  lastSignIn?: string | null;
}): InventoryApp {
  const { sp, resources } = input;
  const resourceOf = (id: string): ResourceInfo => resources.get(id.toLowerCase()) ?? { appId: "", displayName: id, appRoles: new Map() };
  const delegated = new Map<string, { resourceId: string; value: string; allUsers: boolean; users: Set<string> }>();
  const users = new Set<string>();
  for (const grant of input.grants) {
    if (grant.consentType === "Principal" && grant.principalId) users.add(grant.principalId.toLowerCase());
    for (const value of scopesOf(grant.scope)) {
      const key = `${grant.resourceId.toLowerCase()}|${value}`;
      const held = delegated.get(key) ?? { resourceId: grant.resourceId.toLowerCase(), value, allUsers: false, users: new Set<string>() };
      if (grant.consentType === "AllPrincipals") held.allUsers = true;
      else if (grant.principalId) held.users.add(grant.principalId.toLowerCase());
      delegated.set(key, held);
    }
  }
  const permissions: HeldPermission[] = [];
  for (const held of delegated.values()) {
    const resource = resourceOf(held.resourceId);
    permissions.push({
      kind: "delegated", resourceId: held.resourceId, resourceAppId: resource.appId, resourceName: resource.displayName, value: held.value, appRoleId: null,
      risk: heldPermissionRisk(resource.appId, "delegated", held.value), allUsers: held.allUsers, userCount: held.users.size,
      ...(held.users.size > 0 ? { userIds: [...held.users].sort().slice(0, USER_IDS_CAP) } : {}),
    });
  }
  const roles = new Set<string>();
  for (const assignment of input.assignments) {
    const key = `${assignment.resourceId.toLowerCase()}|${assignment.appRoleId.toLowerCase()}`;
    if (roles.has(key)) continue;
    roles.add(key);
    const resource = resourceOf(assignment.resourceId);
    // a role the API no longer defines still grants nothing readable by name: show its id
    const value = resource.appRoles.get(assignment.appRoleId.toLowerCase()) ?? assignment.appRoleId;
    permissions.push({
      kind: "application", resourceId: assignment.resourceId.toLowerCase(), resourceAppId: resource.appId, resourceName: resource.displayName, value,
      appRoleId: assignment.appRoleId.toLowerCase(), risk: heldPermissionRisk(resource.appId, "application", value, assignment.appRoleId), allUsers: false, userCount: 0,
    });
  }
  // a stable order, so two scans of the same consent store the same permissions (diff.ts compares them)
  permissions.sort((a, b) => RISK_ORDER[a.risk] - RISK_ORDER[b.risk] || a.kind.localeCompare(b.kind) || a.resourceName.localeCompare(b.resourceName) || a.value.localeCompare(b.value));
  return {
    servicePrincipalId: sp.id.toLowerCase(),
    appId: sp.appId,
    displayName: sp.displayName,
    publisherName: sp.publisherName,
    verifiedPublisher: sp.verifiedPublisher,
    firstParty: sp.appOwnerOrganizationId?.toLowerCase() === MICROSOFT_TENANT_ID,
    multiTenant: (sp.appOwnerOrganizationId !== null && sp.appOwnerOrganizationId.toLowerCase() !== input.tenantId.toLowerCase()) || MULTI_TENANT_AUDIENCES.has(sp.signInAudience ?? ""),
    accountEnabled: sp.accountEnabled,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
    permissions,
    consentedUsers: users.size,
    grantIds: input.grants.map((grant) => grant.id).sort(),
    assignmentIds: input.assignments.map((assignment) => assignment.id).sort(),
    lastSignIn: input.lastSignIn ?? null,
  };
}
