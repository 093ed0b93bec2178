import { badRequest, forbidden, notFound } from "./errors";
import { newOpaqueId } from "./ids";
import { PRIVILEGED_RESOURCE_APP_IDS, roleAllows, ROLES } from "./roles";
import type { Tenant } from "./tenant";
import type { Actor, AppRoleAssignment, ServicePrincipal } from "./types";

export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";

export interface AssignmentInput {
  principalId: string;
  resourceId: string;
  appRoleId: string;
}

type PrincipalType = AppRoleAssignment["principalType"];

/**
 * Entra's role rule for app role assignments: Microsoft Graph (and Azure AD Graph) app roles given to
 * a service principal need Privileged Role Administrator; anything else a Cloud Application
 * Administrator can do. An actor without `roles` is a trusted in-process caller and is not checked.
 */
export function assertMayAssign(actor: Actor, resource: ServicePrincipal, principalType: PrincipalType): void {
  if (actor.kind !== "user" || actor.roles === undefined) return;
  const privileged = principalType === "ServicePrincipal" && PRIVILEGED_RESOURCE_APP_IDS.has(resource.appId);
  if (!roleAllows(privileged ? ROLES.graphAppRoleAdmins : ROLES.consentAdmins, actor.roles)) throw forbidden();
}

function principalOf(t: Tenant, id: string): { type: PrincipalType; displayName: string } | undefined {
  const s = t.servicePrincipal(id);
  if (s) return { type: "ServicePrincipal", displayName: s.displayName };
  const u = t.state.users.get(id);
  if (u) return { type: "User", displayName: u.displayName };
  const g = t.state.groups.get(id);
  if (g) return { type: "Group", displayName: g.displayName };
  return undefined;
}

const ACTIVITY: Record<PrincipalType, { add: string; remove: string }> = {
  ServicePrincipal: { add: "Add app role assignment to service principal", remove: "Remove app role assignment from service principal" },
  User: { add: "Add app role assignment grant to user", remove: "Remove app role assignment from user" },
  Group: { add: "Add app role assignment to group", remove: "Remove app role assignment from group" },
};

function auditAssignment(t: Tenant, a: AppRoleAssignment, which: "add" | "remove", actor: Actor): void {
  const resource = t.servicePrincipal(a.resourceId);
  const role = resource?.appRoles.find((r) => r.id === a.appRoleId);
  const value = JSON.stringify(role?.value ?? (a.appRoleId === DEFAULT_ACCESS_ROLE_ID ? "Default Access" : a.appRoleId));
  t.audit({
    activity: ACTIVITY[a.principalType][which], operationType: which === "add" ? "Assign" : "Unassign", actor,
    targets: [
      {
        id: a.resourceId, displayName: a.resourceDisplayName, type: "ServicePrincipal",
        modifiedProperties: [
          { displayName: "AppRole.Id", oldValue: which === "add" ? null : JSON.stringify(a.appRoleId), newValue: which === "add" ? JSON.stringify(a.appRoleId) : null },
          { displayName: "AppRole.Value", oldValue: which === "add" ? null : value, newValue: which === "add" ? value : null },
        ],
      },
      { id: a.principalId, displayName: a.principalDisplayName, type: a.principalType, modifiedProperties: [] },
    ],
    additionalDetails: [{ key: "AppRoleAssignmentId", value: a.id }],
  });
}

export function createAppRoleAssignment(t: Tenant, resourceSpId: string, input: AssignmentInput, actor: Actor): AppRoleAssignment {
  const resource = t.servicePrincipal(resourceSpId);
  if (!resource) throw notFound(resourceSpId);
  if (input.resourceId !== resourceSpId) {
    throw badRequest("The resourceId in the request body must match the service principal in the request URL.");
  }
  const principal = principalOf(t, input.principalId);
  if (!principal) throw notFound(input.principalId);
  assertMayAssign(actor, resource, principal.type);
  const roleExists = resource.appRoles.some((r) => r.id === input.appRoleId);
  const defaultAccess = input.appRoleId === DEFAULT_ACCESS_ROLE_ID && principal.type !== "ServicePrincipal";
  if (!roleExists && !defaultAccess) {
    throw badRequest(`Permission being assigned was not found on application '${resource.appId}'.`);
  }
  for (const a of t.state.appRoleAssignments.values()) {
    // Graph answers a duplicate assignment with 400, not 409.
    if (a.resourceId === resourceSpId && a.principalId === input.principalId && a.appRoleId === input.appRoleId) {
      throw badRequest("Permission being assigned already exists on the object");
    }
  }
  const a: AppRoleAssignment = {
    id: newOpaqueId(), appRoleId: input.appRoleId, createdDateTime: t.nowIso(), deletedDateTime: null,
    principalDisplayName: principal.displayName, principalId: input.principalId, principalType: principal.type,
    resourceDisplayName: resource.displayName, resourceId: resourceSpId,
  };
  t.state.appRoleAssignments.set(a.id, a);
  t.markCreated(a.id);
  auditAssignment(t, a, "add", actor);
  return a;
}

export function deleteAppRoleAssignment(t: Tenant, resourceSpId: string, id: string, actor: Actor): void {
  const resource = t.servicePrincipal(resourceSpId);
  if (!resource) throw notFound(resourceSpId);
  const a = t.state.appRoleAssignments.get(id);
  if (!a || a.resourceId !== resourceSpId) throw notFound(id);
  assertMayAssign(actor, resource, a.principalType);
  t.state.appRoleAssignments.delete(id);
  auditAssignment(t, a, "remove", actor);
}
