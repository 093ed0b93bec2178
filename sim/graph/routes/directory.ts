import { forbidden, GraphError, notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import type { Group, User } from "../state/types";
import { need } from "../http/auth";
import type { RequestCtx } from "../http/context";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { route, type Route } from "./common";

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

const userView = (u: User) => ({ "@odata.type": "#microsoft.graph.user", ...u });
const groupView = ({ memberIds: _m, ...g }: Group) => ({ "@odata.type": "#microsoft.graph.group", ...g });

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

export const directoryRoutes: Route[] = [
  // app-only callers get Graph's 400 from the handler, not a 403 from the permission check
  route("GET", "/me", { ...need("User.Read | User.ReadBasic.All | User.Read.All | Directory.Read.All", ROLES.member), application: [[]] }, (ctx) => {
    if (ctx.caller.kind !== "user") {
      throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    }
    return entityResponse(ctx, "users", users.resource, userView(userOr404(ctx, ctx.caller.oid)));
  }),
  route("GET", "/users", need(USER_READ_ANY, ROLES.member), (ctx) => listResponse(ctx, users, [...ctx.tenant.state.users.values()].map(userView))),
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
  route("GET", "/groups/{id}/transitiveMembers/microsoft.graph.user", need(GROUP_READ, ROLES.member), (ctx, p) => {
    groupOr404(ctx, p.id ?? "");
    const ids = ctx.tenant.transitiveUserIds(p.id ?? "");
    const out = [...ids].flatMap((id) => { const u = ctx.tenant.state.users.get(id); return u ? [userView(u)] : []; });
    return listResponse(ctx, { ...users, entitySet: "users" }, out);
  }),
  route("GET", "/roleManagement/directory/roleAssignments", need("RoleManagement.Read.Directory | Directory.Read.All", ROLES.member), (ctx) =>
    listResponse(ctx, roleAssignments, ctx.tenant.state.roleAssignments)),
  route("GET", "/organization", need("User.Read | Organization.Read.All | Directory.Read.All", ROLES.member), (ctx) => {
    const o = ctx.tenant.state.organization;
    const org = {
      id: o.id, displayName: o.displayName, createdDateTime: o.createdDateTime, tenantType: "AAD",
      verifiedDomains: [{ name: o.defaultDomain, isDefault: true, isInitial: true, type: "Managed", capabilities: "Email, OfficeCommunicationsOnline" }],
    };
    return listResponse(ctx, { entitySet: "organization", resource: "microsoft.graph.organization", filterable: new Set(["id"]) }, [org]);
  }),
];
