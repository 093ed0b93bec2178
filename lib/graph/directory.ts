import type { Client } from "@microsoft/microsoft-graph-client";
import type { DirectoryObject, Group, Organization, UnifiedRoleAssignment, User } from "@microsoft/microsoft-graph-types";
import { batch } from "./batch";
import { orNullIfMissing } from "./errors";
import type { RetryOptions } from "./retry-policy";
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
  return orNullIfMissing(getUser(client, id, select));
}

export async function getGroup(client: Client, id: string, select: readonly (keyof Group)[]): Promise<Group> {
  return client.api(`/groups/${id}`).select([...select]).get();
}

/** The tenant's groups, `top` a page, at most `maxItems` (a picker, not an export). */
export async function listGroups(client: Client, select: readonly (keyof Group)[], paging: Paging = {}): Promise<Group[]> {
  return listAll<Group>(client, `/groups?${selectQuery(select, paging.top)}`, { maxItems: paging.maxItems });
}

/** OData string literal: a quote is doubled, so typed text can never end the literal early. */
const odataString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The first `top` users whose display name starts with `text`, for pickers. */
export async function searchUsers(client: Client, text: string, select: readonly (keyof User)[], top: number): Promise<User[]> {
  const reply: { value: User[] } = await client.api("/users").filter(`startswith(displayName,${odataString(text)})`).select([...select]).top(top).get();
  return reply.value;
}

/** The first `top` groups whose display name starts with `text`, for pickers. */
export async function searchGroups(client: Client, text: string, select: readonly (keyof Group)[], top: number): Promise<Group[]> {
  const reply: { value: Group[] } = await client.api("/groups").filter(`startswith(displayName,${odataString(text)})`).select([...select]).top(top).get();
  return reply.value;
}

/** An advanced query (GRAPH.md): Graph refuses some directory queries without both the header and `$count=true`. */
const ADVANCED_QUERY = { ConsistencyLevel: "eventual" };

/**
 * Every user in a group, nested groups included (transitive members cast to users); devices and apps are left out.
 * The cast on transitive members is an advanced query: every page, nextLinks included, carries the header.
 */
export async function listGroupUsers(client: Client, groupId: string, select: readonly (keyof User)[], paging: Paging = {}): Promise<User[]> {
  return listAll<User>(client, `/groups/${groupId}/transitiveMembers/microsoft.graph.user?${selectQuery(select, paging.top)}&$count=true`, {
    maxItems: paging.maxItems,
    headers: ADVANCED_QUERY,
  });
}

/** The assignments of one directory role (by its role template ID): users, groups and service principals alike. */
export async function listRoleAssignments(client: Client, roleDefinitionId: string, paging: Pick<Paging, "maxItems"> = {}): Promise<UnifiedRoleAssignment[]> {
  return listAll<UnifiedRoleAssignment>(client, `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${roleDefinitionId}'`, { maxItems: paging.maxItems });
}

/** Several users by object ID in $batch round trips (20 a batch); an ID with no user maps to null. */
export async function usersByIds(client: Client, ids: readonly string[], select: readonly (keyof User)[], retry: RetryOptions): Promise<Map<string, User | null>> {
  const replies = await batch(client, ids.map((id) => ({ id, method: "GET" as const, url: `/users/${id}?$select=${select.join(",")}` })), retry);
  return new Map(replies.map((reply) => [reply.id, reply.status === 200 ? (reply.body as User) : null]));
}

/** The directory object types `getByIds` can be narrowed to (Graph reads them case-insensitively). */
export type DirectoryObjectType = "user" | "group" | "servicePrincipal" | "device" | "application" | "orgContact" | "directoryObject";

/** What `getByIds` answers for each object: its own properties beside the @odata.type naming what it is. */
export type TypedDirectoryObject = DirectoryObject & { "@odata.type"?: string; displayName?: string | null };

/** Graph's limit on ids in one getByIds call (Microsoft Learn "directoryObject: getByIds"). */
export const GET_BY_IDS_MAX = 1000;

/**
 * Directory objects by id in bulk (users, groups, service principals…), one getByIds call per 1,000 ids,
 * keyed by object id (lower case). Graph leaves out ids it does not find (deleted, or not of `types`),
 * so an id missing from the map has no such object.
 */
export async function directoryObjectsByIds(client: Client, ids: readonly string[], types: readonly DirectoryObjectType[] = ["directoryObject"]): Promise<Map<string, TypedDirectoryObject>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = new Map<string, TypedDirectoryObject>();
  for (let i = 0; i < unique.length; i += GET_BY_IDS_MAX) {
    const reply: { value: TypedDirectoryObject[] } = await client.api("/directoryObjects/getByIds").post({ ids: unique.slice(i, i + GET_BY_IDS_MAX), types: [...types] });
    for (const object of reply.value) if (object.id) found.set(object.id.toLowerCase(), object);
  }
  return found;
}
