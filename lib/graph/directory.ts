import type { Client } from "@microsoft/microsoft-graph-client";
import type { Group, Organization, UnifiedRoleAssignment, User } from "@microsoft/microsoft-graph-types";
import { isGraphStatus } from "./errors";
import { listAll } from "./paging";

/**
 * The directory: the organization, users, groups and who holds a directory role (sim/graph/routes/directory.ts).
 * `select` names the properties to read: Graph returns the rest only when asked, and each unasked one costs.
 */

type Paging = { top?: number; maxItems?: number };

const selectQuery = (select: readonly string[], top?: number) => `$select=${select.join(",")}${top === undefined ? "" : `&$top=${top}`}`;

/** The signed-in person's organization (one per tenant), with its name and verified domains. */
export async function getOrganization(client: Client): Promise<Organization | null> {
  const reply: { value: Organization[] } = await client.api("/organization").select(["id", "displayName", "verifiedDomains"]).get();
  return reply.value[0] ?? null;
}

export async function getUser(client: Client, id: string, select: readonly (keyof User)[]): Promise<User> {
  return client.api(`/users/${id}`).select([...select]).get();
}

/** A user by object ID, or null when the directory has none (deleted, or the ID names a group). */
export async function findUser(client: Client, id: string, select: readonly (keyof User)[]): Promise<User | null> {
  try {
    return await getUser(client, id, select);
  } catch (error) {
    if (isGraphStatus(error, 404)) return null;
    throw error;
  }
}

export async function getGroup(client: Client, id: string, select: readonly (keyof Group)[]): Promise<Group> {
  return client.api(`/groups/${id}`).select([...select]).get();
}

/** The first `top` users matching an OData filter (e.g. startswith on displayName), for pickers. */
export async function searchUsers(client: Client, filter: string, select: readonly (keyof User)[], top: number): Promise<User[]> {
  const reply: { value: User[] } = await client.api("/users").filter(filter).select([...select]).top(top).get();
  return reply.value;
}

export async function searchGroups(client: Client, filter: string, select: readonly (keyof Group)[], top: number): Promise<Group[]> {
  const reply: { value: Group[] } = await client.api("/groups").filter(filter).select([...select]).top(top).get();
  return reply.value;
}

/** Every user in a group, nested groups included (transitive members cast to users); devices and apps are left out. */
export async function listGroupUsers(client: Client, groupId: string, select: readonly (keyof User)[], paging: Paging = {}): Promise<User[]> {
  return listAll<User>(client, `/groups/${groupId}/transitiveMembers/microsoft.graph.user?${selectQuery(select, paging.top)}`, { maxItems: paging.maxItems });
}

/** The assignments of one directory role (by its role template ID): users, groups and service principals alike. */
export async function listRoleAssignments(client: Client, roleDefinitionId: string, paging: Pick<Paging, "maxItems"> = {}): Promise<UnifiedRoleAssignment[]> {
  return listAll<UnifiedRoleAssignment>(client, `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${roleDefinitionId}'`, { maxItems: paging.maxItems });
}
