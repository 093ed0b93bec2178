import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppRoleAssignment } from "@microsoft/microsoft-graph-types";
import { deletedUnlessGone } from "./errors";
import { listAll } from "./paging";

/**
 * App role assignments: an app's application permissions on an API (`appRoleAssignments` of the client)
 * and the users and groups assigned to an app (`appRoleAssignedTo` of the app itself).
 */

export type RoleAssignment = { id: string; appRoleId: string; principalId: string; principalType: string; principalDisplayName: string | null; resourceId: string };

const normalize = (a: AppRoleAssignment): RoleAssignment => ({
  id: a.id ?? "",
  appRoleId: a.appRoleId ?? "",
  principalId: a.principalId ?? "",
  principalType: a.principalType ?? "",
  principalDisplayName: a.principalDisplayName ?? null,
  resourceId: a.resourceId ?? "",
});

/** What the client service principal holds: its application permissions on every API. */
export async function listAssignmentsHeldBy(client: Client, principalSpId: string): Promise<RoleAssignment[]> {
  return (await listAll<AppRoleAssignment>(client, `/servicePrincipals/${principalSpId}/appRoleAssignments?$top=999`)).map(normalize);
}

/** Who is assigned to the app (users, groups, and apps holding its roles). */
export async function listAssignmentsTo(client: Client, resourceSpId: string): Promise<RoleAssignment[]> {
  return (await listAll<AppRoleAssignment>(client, `/servicePrincipals/${resourceSpId}/appRoleAssignedTo?$top=999`)).map(normalize);
}

/** POST appRoleAssignedTo on the resource: grants `appRoleId` to the principal (an app, a user or a group). */
export async function assignAppRole(client: Client, resourceSpId: string, principalId: string, appRoleId: string): Promise<RoleAssignment> {
  return normalize(await client.api(`/servicePrincipals/${resourceSpId}/appRoleAssignedTo`).post({ principalId, resourceId: resourceSpId, appRoleId }));
}

/** DELETE one assignment from the resource; false when it was already gone. */
export async function removeAppRoleAssignment(client: Client, resourceSpId: string, assignmentId: string): Promise<boolean> {
  return deletedUnlessGone(client.api(`/servicePrincipals/${resourceSpId}/appRoleAssignedTo/${assignmentId}`).delete());
}
