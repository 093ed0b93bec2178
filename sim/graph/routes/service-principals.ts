import { z } from "zod";
import { badRequest, notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import type { RequestCtx, RouteResult } from "../http/context";
import { applySelect, entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import type { AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from "../state/types";
import { valuesOf, valuesWhere } from "../state/versioned-map";
import { toGraph } from "../serialize";
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

// The same items, in the same order, as filtering every grant/assignment; cached until the collection changes.
const assignedTo = (ctx: RequestCtx, resourceId: string) =>
  valuesWhere(ctx.tenant.state.appRoleAssignments, "resourceId", (a: AppRoleAssignment) => a.resourceId, resourceId);
const assignmentsOf = (ctx: RequestCtx, principalId: string) =>
  valuesWhere(ctx.tenant.state.appRoleAssignments, "principalId", (a: AppRoleAssignment) => a.principalId, principalId);
const grantsOfClient = (ctx: RequestCtx, clientId: string) =>
  valuesWhere(ctx.tenant.state.grants, "clientId", (g: OAuth2PermissionGrant) => g.clientId, clientId);

const spEntity = (ctx: RequestCtx, status = 200) => (s: ServicePrincipal) => entityResponse(ctx, "servicePrincipals", servicePrincipalsSpec.resource, toGraph.servicePrincipal(s), status);

/**
 * `$expand` on a service principal (Microsoft Learn "Use query parameters", $expand): for resources
 * derived from directoryObject, an expanded relationship holds at most 20 items and has no
 * @odata.nextLink, so a caller that needs them all must list the relationship itself. The simulator
 * keeps no owners: `owners` expands to what the simulated directory holds, none.
 */
export const EXPAND_MAX_ITEMS = 20;
const EXPANDABLE: Record<string, (ctx: RequestCtx, s: ServicePrincipal) => object[]> = {
  appRoleAssignedTo: (ctx, s) => assignedTo(ctx, s.id).filter((a) => ctx.visible(a.id)).map(toGraph.appRoleAssignment),
  appRoleAssignments: (ctx, s) => assignmentsOf(ctx, s.id).filter((a) => ctx.visible(a.id)).map(toGraph.appRoleAssignment),
  oauth2PermissionGrants: (ctx, s) => grantsOfClient(ctx, s.id).filter((g) => ctx.visible(g.id)).map(toGraph.oauth2PermissionGrant),
  owners: () => [],
};
const EXPAND_RESOURCE: Record<string, string> = {
  appRoleAssignedTo: assignmentsSpec.resource, appRoleAssignments: assignmentsSpec.resource,
  oauth2PermissionGrants: grantsSpec.resource, owners: "microsoft.graph.directoryObject",
};

interface Expansion { name: string; select: string[] | null }

/** `$expand=a,b($select=x,y)`: relationship names (matched case-insensitively), each with an optional nested $select. */
function parseExpand(raw: string): Expansion[] {
  const out: Expansion[] = [];
  for (const m of raw.matchAll(/\s*([A-Za-z0-9]+)\s*(?:\(([^)]*)\))?\s*(?:,|$)/gy)) {
    const asked = m[1] ?? "";
    const name = Object.keys(EXPANDABLE).find((k) => k.toLowerCase() === asked.toLowerCase());
    if (!name) throw badRequest(`Could not find a property named '${asked}' on type '${servicePrincipalsSpec.resource}'.`);
    let select: string[] | null = null;
    if (m[2] !== undefined) {
      const nested = /^\s*\$select=([^;]*)$/i.exec(m[2]);
      if (!nested) throw badRequest(`Only $select is supported inside $expand: '${m[2]}'.`);
      select = (nested[1] ?? "").split(",").map((p) => p.trim()).filter(Boolean);
    }
    out.push({ name, select });
    if (m.index + m[0].length >= raw.length) return out;
  }
  throw badRequest(`Invalid $expand: '${raw}'.`);
}

/**
 * Runs `respond` without $expand in the query (the collection/entity helpers know nothing of it), then
 * adds each expanded relationship to each returned service principal, at most EXPAND_MAX_ITEMS items.
 */
function withExpand(ctx: RequestCtx, respond: (ctx: RequestCtx) => RouteResult): RouteResult {
  const raw = ctx.query.get("$expand");
  if (raw === null) return respond(ctx);
  const expansions = parseExpand(raw);
  // Microsoft Learn "Use query parameters": $expand isn't supported with advanced queries.
  if ((ctx.headers["consistencylevel"] ?? "").toLowerCase() === "eventual") {
    throw badRequest("$expand is not supported with advanced queries (ConsistencyLevel: eventual).", "Request_UnsupportedQuery");
  }
  const query = new URLSearchParams(ctx.query);
  query.delete("$expand");
  const result = respond({ ...ctx, query });
  const body = result.body as Record<string, unknown> | undefined;
  if (!body) return result;
  const expand = (item: Record<string, unknown>) => {
    const s = ctx.tenant.servicePrincipal(String(item.id));
    if (!s) return item;
    const out = { ...item };
    for (const e of expansions) {
      out[e.name] = EXPANDABLE[e.name]!(ctx, s).slice(0, EXPAND_MAX_ITEMS).map((o) => applySelect(o, e.select, EXPAND_RESOURCE[e.name]!));
    }
    return out;
  };
  if (Array.isArray(body.value)) {
    const next = body["@odata.nextLink"];
    return {
      ...result,
      body: {
        ...body,
        ...(typeof next === "string" ? { "@odata.nextLink": `${next}&$expand=${encodeURIComponent(raw)}` } : {}),
        value: (body.value as Record<string, unknown>[]).map(expand),
      },
    };
  }
  return { ...result, body: expand(body) };
}

export const servicePrincipalRoutes: Route[] = [
  route("GET", "/servicePrincipals", READ, (ctx) => withExpand(ctx, (c) => listResponse(c, servicePrincipalsSpec, valuesOf(ctx.tenant.state.servicePrincipals), undefined, toGraph.servicePrincipal))),
  route("POST", "/servicePrincipals", WRITE, (ctx) => {
    const { appId, ...props } = parseBody(ctx, createSp);
    const s = ctx.tenant.createServicePrincipal(appId, ctx.caller.actor, props);
    const res = spEntity(ctx, 201)(s);
    return { ...res, headers: { location: `${ctx.baseUrl}/${ctx.version}/servicePrincipals/${s.id}` } };
  }),
  route("GET", "/servicePrincipals{sp}", READ, (ctx, p) => withExpand(ctx, (c) => spEntity(c)(spFrom(c, p)))),
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
      assignedTo(ctx, s.id), undefined, toGraph.appRoleAssignment);
  }),
  route("POST", "/servicePrincipals{sp}/appRoleAssignedTo",
    need("AppRoleAssignment.ReadWrite.All+Application.Read.All | AppRoleAssignment.ReadWrite.All+Directory.Read.All", ROLES.consentAdmins),
    (ctx, p) => {
      const s = spFrom(ctx, p);
      const body = parseBody(ctx, assignment);
      const t = ctx.tenant;
      mustSee(ctx, body.principalId, t.servicePrincipal(body.principalId) !== undefined || t.state.users.has(body.principalId) || t.state.groups.has(body.principalId));
      const a = t.createAppRoleAssignment(s.id, body, ctx.caller.actor);
      return entityResponse(ctx, `servicePrincipals('${s.id}')/appRoleAssignedTo`, assignmentsSpec.resource, toGraph.appRoleAssignment(a), 201);
    }),
  route("GET", "/servicePrincipals{sp}/appRoleAssignedTo/{id}", need("Application.Read.All | AppRoleAssignment.ReadWrite.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    const a = ctx.tenant.state.appRoleAssignments.get(p.id ?? "");
    if (!a || a.resourceId !== s.id || !ctx.visible(a.id)) throw notFound(p.id ?? "");
    return entityResponse(ctx, `servicePrincipals('${s.id}')/appRoleAssignedTo`, assignmentsSpec.resource, toGraph.appRoleAssignment(a));
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
      assignmentsOf(ctx, s.id), undefined, toGraph.appRoleAssignment);
  }),
  // Microsoft Learn "Grant an appRoleAssignment for a service principal" (serviceprincipal-post-approleassignments):
  // the same assignment as POST …/appRoleAssignedTo, written from the client's side, so principalId is the
  // service principal in the URL and resourceId names the API.
  route("POST", "/servicePrincipals{sp}/appRoleAssignments",
    need("AppRoleAssignment.ReadWrite.All+Application.Read.All | AppRoleAssignment.ReadWrite.All+Directory.Read.All", ROLES.consentAdmins),
    (ctx, p) => {
      const s = spFrom(ctx, p);
      const body = parseBody(ctx, assignment);
      if (body.principalId.toLowerCase() !== s.id.toLowerCase()) {
        throw badRequest("The principalId in the request body must match the service principal in the request URL.");
      }
      const t = ctx.tenant;
      mustSee(ctx, body.resourceId, t.servicePrincipal(body.resourceId) !== undefined);
      const a = t.createAppRoleAssignment(body.resourceId, body, ctx.caller.actor);
      return entityResponse(ctx, `servicePrincipals('${s.id}')/appRoleAssignments`, assignmentsSpec.resource, toGraph.appRoleAssignment(a), 201);
    }),
  // Microsoft Learn "Delete appRoleAssignment" (serviceprincipal-delete-approleassignments), from the client's side.
  route("DELETE", "/servicePrincipals{sp}/appRoleAssignments/{id}", need("AppRoleAssignment.ReadWrite.All", ROLES.consentAdmins), (ctx, p) => {
    const s = spFrom(ctx, p);
    const a = ctx.tenant.state.appRoleAssignments.get(p.id ?? "");
    if (!a || a.principalId !== s.id || !ctx.visible(a.id)) throw notFound(p.id ?? "");
    ctx.tenant.deleteAppRoleAssignment(a.resourceId, a.id, ctx.caller.actor);
    return noContent();
  }),
  route("GET", "/servicePrincipals{sp}/oauth2PermissionGrants", need("Application.Read.All | DelegatedPermissionGrant.Read.All", ROLES.member), (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, grantsSpec, grantsOfClient(ctx, s.id), undefined, toGraph.oauth2PermissionGrant);
  }),

  route("GET", "/servicePrincipals{sp}/delegatedPermissionClassifications", READ, (ctx, p) => {
    const s = spFrom(ctx, p);
    return listResponse(ctx, { ...classificationsSpec, entitySet: `servicePrincipals('${s.id}')/delegatedPermissionClassifications` }, ctx.tenant.classificationsFor(s.id), undefined, toGraph.delegatedPermissionClassification);
  }),
  route("POST", "/servicePrincipals{sp}/delegatedPermissionClassifications",
    need("Policy.ReadWrite.PermissionGrant+Application.Read.All", ROLES.appAdmins), (ctx, p) => {
      const s = spFrom(ctx, p);
      const c = ctx.tenant.addClassification(s.id, parseBody(ctx, classification), ctx.caller.actor);
      return entityResponse(ctx, `servicePrincipals('${s.id}')/delegatedPermissionClassifications`, classificationsSpec.resource, toGraph.delegatedPermissionClassification(c), 201);
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
