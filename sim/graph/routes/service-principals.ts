import { z } from "zod";
import { badRequest, notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import type { RequestCtx } from "../http/context";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { mustSee, noContent, parseBody, route, spFrom, type Route } from "./common";

const READ = need("Application.Read.All", ROLES.member);
const WRITE = need("Application.ReadWrite.All", ROLES.appAdmins);

export const servicePrincipalsSpec: CollectionSpec = {
  entitySet: "servicePrincipals", resource: "microsoft.graph.servicePrincipal",
  filterable: new Set(["id", "appId", "displayName", "publisherName", "appOwnerOrganizationId", "servicePrincipalType", "accountEnabled",
    "appRoleAssignmentRequired", "tags", "servicePrincipalNames", "signInAudience"]),
  searchable: new Set(["displayName", "publisherName"]),
};
const assignmentsSpec: CollectionSpec = {
  entitySet: "appRoleAssignments", resource: "microsoft.graph.appRoleAssignment",
  filterable: new Set(["id", "principalId", "resourceId", "appRoleId", "principalType", "principalDisplayName"]),
};
const grantsSpec: CollectionSpec = {
  entitySet: "oauth2PermissionGrants", resource: "microsoft.graph.oAuth2PermissionGrant",
  filterable: new Set(["id", "clientId", "resourceId", "consentType", "principalId"]),
};
const classificationsSpec: CollectionSpec = {
  entitySet: "delegatedPermissionClassifications", resource: "microsoft.graph.delegatedPermissionClassification",
  filterable: new Set(["id", "permissionId", "permissionName", "classification"]),
};

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
const createSp = z.object({
  appId: guid,
  tags: z.array(z.string()).optional(),
  accountEnabled: z.boolean().optional(),
  appRoleAssignmentRequired: z.boolean().optional(),
  notes: z.string().nullable().optional(),
});
// Only what the portal changes is patchable here; other real properties are refused, not ignored.
const patchSp = z.strictObject({
  tags: z.array(z.string()).optional(),
  accountEnabled: z.boolean().optional(),
  appRoleAssignmentRequired: z.boolean().optional(),
  notes: z.string().nullable().optional(),
});
const assignment = z.object({ principalId: guid, resourceId: guid, appRoleId: guid });
const classification = z.object({
  permissionId: guid.optional(),
  permissionName: z.string().optional(),
  classification: z.string(),
}).refine((c) => c.permissionId !== undefined || c.permissionName !== undefined, "permissionId or permissionName is required");

const spEntity = (ctx: RequestCtx, status = 200) => (s: object) => entityResponse(ctx, "servicePrincipals", servicePrincipalsSpec.resource, s, status);

export const servicePrincipalRoutes: Route[] = [
  route("GET", "/servicePrincipals", READ, (ctx) => listResponse(ctx, servicePrincipalsSpec, ctx.tenant.state.servicePrincipals.values())),
  route("POST", "/servicePrincipals", WRITE, (ctx) => {
    const { appId, ...props } = parseBody(ctx, createSp);
    const s = ctx.tenant.createServicePrincipal(appId, ctx.caller.actor, props);
    const res = spEntity(ctx, 201)(s);
    return { ...res, headers: { location: `${ctx.baseUrl}/${ctx.version}/servicePrincipals/${s.id}` } };
  }),
  route("GET", "/servicePrincipals{sp}", READ, (ctx, p) => spEntity(ctx)(spFrom(ctx, p))),
  route("PATCH", "/servicePrincipals{sp}", WRITE, (ctx, p) => {
    const s = spFrom(ctx, p);
    ctx.tenant.updateServicePrincipal(s.id, parseBody(ctx, patchSp), ctx.caller.actor);
    return noContent();
  }),
  route("DELETE", "/servicePrincipals{sp}", WRITE, (ctx, p) => {
    ctx.tenant.deleteServicePrincipal(spFrom(ctx, p).id, ctx.caller.actor);
    return noContent();
  }),

  route("GET", "/servicePrincipals{sp}/appRoleAssignedTo", need("Application.Read.All | AppRoleAssignment.ReadWrite.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, { ...assignmentsSpec, entitySet: `servicePrincipals('${s.id}')/appRoleAssignedTo` },
      [...ctx.tenant.state.appRoleAssignments.values()].filter((a) => a.resourceId === s.id));
  }),
  route("POST", "/servicePrincipals{sp}/appRoleAssignedTo",
    need("AppRoleAssignment.ReadWrite.All+Application.Read.All | AppRoleAssignment.ReadWrite.All+Directory.Read.All", ROLES.consentAdmins),
    (ctx, p) => {
      const s = spFrom(ctx, p);
      const body = parseBody(ctx, assignment);
      const t = ctx.tenant;
      mustSee(ctx, body.principalId, t.servicePrincipal(body.principalId) !== undefined || t.state.users.has(body.principalId) || t.state.groups.has(body.principalId));
      const a = t.createAppRoleAssignment(s.id, body, ctx.caller.actor);
      return entityResponse(ctx, `servicePrincipals('${s.id}')/appRoleAssignedTo`, assignmentsSpec.resource, a, 201);
    }),
  route("GET", "/servicePrincipals{sp}/appRoleAssignedTo/{id}", need("Application.Read.All | AppRoleAssignment.ReadWrite.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    const a = ctx.tenant.state.appRoleAssignments.get(p.id ?? "");
    if (!a || a.resourceId !== s.id || !ctx.visible(a.id)) throw notFound(p.id ?? "");
    return entityResponse(ctx, `servicePrincipals('${s.id}')/appRoleAssignedTo`, assignmentsSpec.resource, a);
  }),
  route("DELETE", "/servicePrincipals{sp}/appRoleAssignedTo/{id}", need("AppRoleAssignment.ReadWrite.All", ROLES.consentAdmins), (ctx, p) => {
    const s = spFrom(ctx, p);
    if (!ctx.visible(p.id ?? "")) throw notFound(p.id ?? "");
    ctx.tenant.deleteAppRoleAssignment(s.id, p.id ?? "", ctx.caller.actor);
    return noContent();
  }),
  route("GET", "/servicePrincipals{sp}/appRoleAssignments", need("Application.Read.All | AppRoleAssignment.ReadWrite.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, { ...assignmentsSpec, entitySet: `servicePrincipals('${s.id}')/appRoleAssignments` },
      [...ctx.tenant.state.appRoleAssignments.values()].filter((a) => a.principalId === s.id));
  }),
  route("GET", "/servicePrincipals{sp}/oauth2PermissionGrants", need("Application.Read.All | DelegatedPermissionGrant.Read.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, grantsSpec, [...ctx.tenant.state.grants.values()].filter((g) => g.clientId === s.id));
  }),

  route("GET", "/servicePrincipals{sp}/delegatedPermissionClassifications", READ, (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, { ...classificationsSpec, entitySet: `servicePrincipals('${s.id}')/delegatedPermissionClassifications` }, ctx.tenant.classificationsFor(s.id));
  }),
  route("POST", "/servicePrincipals{sp}/delegatedPermissionClassifications",
    need("Policy.ReadWrite.PermissionGrant+Application.Read.All", ROLES.appAdmins), (ctx, p) => {
      const s = spFrom(ctx, p);
      const c = ctx.tenant.addClassification(s.id, parseBody(ctx, classification), ctx.caller.actor);
      return entityResponse(ctx, `servicePrincipals('${s.id}')/delegatedPermissionClassifications`, classificationsSpec.resource, c, 201);
    }),
  route("DELETE", "/servicePrincipals{sp}/delegatedPermissionClassifications/{id}",
    need("Policy.ReadWrite.PermissionGrant+Application.Read.All", ROLES.appAdmins), (ctx, p) => {
      const s = spFrom(ctx, p);
      if (!p.id) throw badRequest("classification id is required");
      ctx.tenant.removeClassification(s.id, p.id, ctx.caller.actor);
      return noContent();
    }),
];

export { grantsSpec };
