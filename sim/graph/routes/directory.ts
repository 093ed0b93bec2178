import { z } from "zod";
import { badRequest, forbidden, GraphError, notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import type { Group, User } from "../state/types";
import { toGraph } from "../serialize";
import { need } from "../http/auth";
import type { RequestCtx } from "../http/context";
import { contextUrl, countResponse, entityResponse, listResponse, requireAdvancedQuery, type CollectionSpec } from "../odata/query";
import { parseBody, route, type Route } from "./common";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_READ_ANY = "User.ReadBasic.All | User.Read.All | Directory.Read.All";
const GROUP_READ = "GroupMember.Read.All | Group.Read.All | Directory.Read.All";

const users: CollectionSpec = {
  entitySet: "users", resource: "microsoft.graph.user",
  filterable: new Set(["id", "displayName", "userPrincipalName", "mail", "accountEnabled", "userType", "jobTitle"]),
  searchable: new Set(["displayName", "userPrincipalName", "mail"]),
};
const groups: CollectionSpec = {
  entitySet: "groups", resource: "microsoft.graph.group",
  filterable: new Set(["id", "displayName", "mailNickname", "securityEnabled", "mailEnabled"]),
  searchable: new Set(["displayName"]),
};
const members: CollectionSpec = { entitySet: "directoryObjects", resource: "microsoft.graph.directoryObject", filterable: new Set(["id", "displayName"]) };
const roleAssignments: CollectionSpec = {
  entitySet: "roleManagement/directory/roleAssignments", resource: "microsoft.graph.unifiedRoleAssignment",
  filterable: new Set(["roleDefinitionId", "principalId", "directoryScopeId", "id"]),
};

const userView = toGraph.user;
const groupView = toGraph.group;
const spView = toGraph.servicePrincipalObject;

/** Any directory object the simulated directory holds, typed as Graph types it, by object id. */
function directoryObject(ctx: RequestCtx, id: string): { type: string; view: object } | undefined {
  if (!ctx.visible(id)) return undefined;
  const u = ctx.tenant.state.users.get(id);
  if (u) return { type: "user", view: userView(u) };
  const g = ctx.tenant.group(id);
  if (g) return { type: "group", view: groupView(g) };
  const s = ctx.tenant.servicePrincipal(id);
  if (s) return { type: "serviceprincipal", view: spView(s) };
  return undefined;
}

/**
 * The types `getByIds` may name: directoryObject and the types derived from it (lower-cased: Graph
 * reads them case-insensitively). The simulated directory holds only users, groups and service
 * principals; naming another derived type is valid and finds nothing, as in a tenant without any.
 */
const DIRECTORY_OBJECT_TYPES = new Set(["directoryobject", "user", "group", "serviceprincipal", "device", "application", "orgcontact",
  "directoryrole", "directoryroletemplate", "administrativeunit", "contract", "directoryobjectpartnerreference"]);
const GET_BY_IDS_MAX = 1000;
const getByIdsBody = z.object({
  ids: z.array(z.string()).min(1, "at least one id is required"),
  types: z.array(z.string()).optional(),
});
function userOr404(ctx: RequestCtx, key: string): User {
  const u = ctx.tenant.user(key);
  if (!u) throw notFound(key);
  return u;
}
function groupOr404(ctx: RequestCtx, id: string): Group {
  const g = ctx.tenant.group(id);
  if (!g) throw notFound(id);
  return g;
}

function transitiveUsers(ctx: RequestCtx, groupId: string): object[] {
  return [...ctx.tenant.transitiveUserIds(groupId)].flatMap((id) => { const u = ctx.tenant.state.users.get(id); return u ? [userView(u)] : []; });
}

export const directoryRoutes: Route[] = [
  // app-only callers get Graph's 400 from the handler, not a 403 from the permission check
  route("GET", "/me", { ...need("User.Read | User.ReadBasic.All | User.Read.All | Directory.Read.All", ROLES.member), application: [[]] }, (ctx) => {
    if (ctx.caller.kind !== "user") {
      throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    }
    return entityResponse(ctx, "users", users.resource, userView(userOr404(ctx, ctx.caller.oid)));
  }),
  route("GET", "/users", need(USER_READ_ANY, ROLES.member), (ctx) => listResponse(ctx, users, [...ctx.tenant.state.users.values()].map(userView))),
  // the /$count segments come before /{id}, which would take "$count" for an id
  route("GET", "/users/$count", need(USER_READ_ANY, ROLES.member), (ctx) => countResponse(ctx, users, [...ctx.tenant.state.users.values()].map(userView))),
  route("GET", "/groups/$count", need(GROUP_READ, ROLES.member), (ctx) => countResponse(ctx, groups, [...ctx.tenant.state.groups.values()].map(groupView))),
  route("GET", "/users/{id}", need(`User.Read | ${USER_READ_ANY}`, ROLES.member), (ctx, p) => {
    const u = userOr404(ctx, p.id ?? "");
    // User.Read alone only reads yourself
    const caller = ctx.caller;
    if (caller.kind === "user" && u.id !== caller.oid && !USER_READ_ANY.split(" | ").some((s) => caller.scopes.has(s))) throw forbidden();
    return entityResponse(ctx, "users", users.resource, userView(u));
  }),
  route("GET", "/groups", need(GROUP_READ, ROLES.member), (ctx) => listResponse(ctx, groups, [...ctx.tenant.state.groups.values()].map(groupView))),
  route("GET", "/groups/{id}", need(GROUP_READ, ROLES.member), (ctx, p) => entityResponse(ctx, "groups", groups.resource, groupView(groupOr404(ctx, p.id ?? "")))),
  route("GET", "/groups/{id}/members", need(GROUP_READ, ROLES.member), (ctx, p) => {
    const g = groupOr404(ctx, p.id ?? "");
    const out = g.memberIds.flatMap((m): object[] => {
      const u = ctx.tenant.state.users.get(m);
      if (u) return [userView(u)];
      const sub = ctx.tenant.group(m);
      return sub ? [groupView(sub)] : [];
    });
    return listResponse(ctx, members, out);
  }),
  // "Use of OData cast with transitive members list" is an advanced query (Microsoft Learn, advanced query capabilities)
  route("GET", "/groups/{id}/transitiveMembers/microsoft.graph.user", need(GROUP_READ, ROLES.member), (ctx, p) => {
    groupOr404(ctx, p.id ?? "");
    requireAdvancedQuery(ctx, "OData cast 'microsoft.graph.user' on 'transitiveMembers'");
    return listResponse(ctx, { ...users, entitySet: "users" }, transitiveUsers(ctx, p.id ?? ""));
  }),
  route("GET", "/groups/{id}/transitiveMembers/microsoft.graph.user/$count", need(GROUP_READ, ROLES.member), (ctx, p) => {
    groupOr404(ctx, p.id ?? "");
    return countResponse(ctx, users, transitiveUsers(ctx, p.id ?? ""));
  }),

  // Microsoft Learn "directoryObject: getByIds": up to 1,000 ids, optional `types` (case-insensitive,
  // default directoryObject = every type); ids the directory does not hold are left out, not an error.
  route("POST", "/directoryObjects/getByIds", need("Directory.Read.All", ROLES.member), (ctx) => {
    const option = [...ctx.query.keys()].find((k) => k.startsWith("$"));
    if (option) throw badRequest(`Query option '${option}' is not supported on getByIds.`);
    const body = parseBody(ctx, getByIdsBody);
    if (body.ids.length > GET_BY_IDS_MAX) throw badRequest(`Too many ids: getByIds accepts at most ${GET_BY_IDS_MAX}, ${body.ids.length} were sent.`);
    const bad = body.ids.find((id) => !GUID.test(id));
    if (bad !== undefined) throw badRequest(`Invalid object identifier '${bad}'.`);
    const types = new Set((body.types ?? ["directoryObject"]).map((t) => t.toLowerCase()));
    const unknown = [...types].find((t) => !DIRECTORY_OBJECT_TYPES.has(t));
    if (unknown !== undefined) throw badRequest(`'${unknown}' is not a type derived from microsoft.graph.directoryObject.`);
    const seen = new Set<string>();
    const value: object[] = [];
    for (const id of body.ids) {
      const key = id.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      const found = directoryObject(ctx, key);
      if (found && (types.has("directoryobject") || types.has(found.type))) value.push(found.view);
    }
    return { status: 200, body: { "@odata.context": contextUrl(ctx, "directoryObjects", null), value } };
  }),
  // Microsoft Learn "Get directoryObject": any directory object by id, with its @odata.type.
  route("GET", "/directoryObjects/{id}", need("Directory.Read.All", ROLES.member), (ctx, p) => {
    const found = directoryObject(ctx, (p.id ?? "").toLowerCase());
    if (!found) throw notFound(p.id ?? "");
    return entityResponse(ctx, "directoryObjects", "microsoft.graph.directoryObject", found.view);
  }),
  route("GET", "/roleManagement/directory/roleAssignments", need("RoleManagement.Read.Directory | Directory.Read.All", ROLES.member), (ctx) =>
    listResponse(ctx, roleAssignments, ctx.tenant.state.roleAssignments, undefined, toGraph.roleAssignment)),
  route("GET", "/organization", need("User.Read | Organization.Read.All | Directory.Read.All", ROLES.member), (ctx) => {
    const org = toGraph.organization(ctx.tenant.state.organization);
    return listResponse(ctx, { entitySet: "organization", resource: "microsoft.graph.organization", filterable: new Set(["id"]) }, [org]);
  }),
];
