import { z } from "zod";
import { notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import { entityResponse, filterOf, listResponse } from "../odata/query";
import { equalityConstraints } from "../odata/filter";
import { mustSee, noContent, parseBody, route, type Route } from "./common";
import { grantsSpec } from "./service-principals";
import { toGraph } from "../serialize";
import { valuesOf, valuesWhere } from "../state/versioned-map";

const READ = need("DelegatedPermissionGrant.Read.All | Directory.Read.All", ROLES.member);
const WRITE = need("DelegatedPermissionGrant.ReadWrite.All", ROLES.consentAdmins);

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
const createGrant = z.strictObject({
  clientId: guid,
  consentType: z.enum(["AllPrincipals", "Principal"]),
  principalId: guid.nullable().optional(),
  resourceId: guid,
  scope: z.string(),
  // Graph accepts and ignores these legacy properties; clients built on older samples still send them
  startTime: z.string().optional(),
  expiryTime: z.string().optional(),
});
const patchGrant = z.strictObject({ scope: z.string() });

export const grantRoutes: Route[] = [
  route("GET", "/oauth2PermissionGrants", READ, (ctx) => {
    const filter = filterOf(ctx, grantsSpec);
    // with 30,000 grants a clientId lookup should not scan every grant's scope string
    const clientId = filter ? equalityConstraints(filter).get("clientId") : undefined;
    const grants = ctx.tenant.state.grants;
    const candidates = clientId === undefined ? valuesOf(grants) : valuesWhere(grants, "clientId-lower", (g) => g.clientId.toLowerCase(), clientId.toLowerCase());
    return listResponse(ctx, grantsSpec, candidates, filter, toGraph.oauth2PermissionGrant);
  }),
  route("POST", "/oauth2PermissionGrants", WRITE, (ctx) => {
    const body = parseBody(ctx, createGrant);
    mustSee(ctx, body.clientId, ctx.tenant.servicePrincipal(body.clientId) !== undefined);
    mustSee(ctx, body.resourceId, ctx.tenant.servicePrincipal(body.resourceId) !== undefined);
    const g = ctx.tenant.createGrant(body, ctx.caller.actor);
    return entityResponse(ctx, "oauth2PermissionGrants", grantsSpec.resource, toGraph.oauth2PermissionGrant(g), 201);
  }),
  route("GET", "/oauth2PermissionGrants/{id}", READ, (ctx, p) => {
    const g = ctx.tenant.state.grants.get(p.id ?? "");
    if (!g || !ctx.visible(g.id)) throw notFound(p.id ?? "");
    return entityResponse(ctx, "oauth2PermissionGrants", grantsSpec.resource, toGraph.oauth2PermissionGrant(g));
  }),
  route("PATCH", "/oauth2PermissionGrants/{id}", WRITE, (ctx, p) => {
    if (!ctx.visible(p.id ?? "")) throw notFound(p.id ?? "");
    ctx.tenant.updateGrantScope(p.id ?? "", parseBody(ctx, patchGrant).scope, ctx.caller.actor);
    return noContent();
  }),
  route("DELETE", "/oauth2PermissionGrants/{id}", WRITE, (ctx, p) => {
    if (!ctx.visible(p.id ?? "")) throw notFound(p.id ?? "");
    ctx.tenant.deleteGrant(p.id ?? "", ctx.caller.actor);
    return noContent();
  }),
];
