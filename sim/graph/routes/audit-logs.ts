import { notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { route, type Route } from "./common";
import { toGraph } from "../serialize";

const AUDIT = need("AuditLog.Read.All", ROLES.auditReaders);
// Graph documents sign-in reads as AuditLog.Read.All together with Directory.Read.All
const SIGNINS = need("AuditLog.Read.All+Directory.Read.All", ROLES.auditReaders, "AuditLog.Read.All+Directory.Read.All");

const auditsSpec: CollectionSpec = {
  entitySet: "auditLogs/directoryAudits", resource: "microsoft.graph.directoryAudit",
  filterable: new Set(["id", "activityDisplayName", "activityDateTime", "category", "correlationId", "result", "loggedByService", "operationType", "initiatedBy", "targetResources"]),
  maxTop: 999,
};
const signInsSpec: CollectionSpec = {
  entitySet: "auditLogs/signIns", resource: "microsoft.graph.signIn",
  filterable: new Set(["id", "createdDateTime", "userId", "userPrincipalName", "userDisplayName", "appId", "appDisplayName", "correlationId", "ipAddress", "status", "resourceId"]),
  maxTop: 999,
};

// Logs are returned newest first, as Entra's are.
const newestFirst = <T>(list: readonly T[]): T[] => [...list].reverse();

export const auditLogRoutes: Route[] = [
  route("GET", "/auditLogs/directoryAudits", AUDIT, (ctx) =>
    listResponse(ctx, auditsSpec, newestFirst(ctx.tenant.state.directoryAudits).sort((a, b) => b.activityDateTime.localeCompare(a.activityDateTime)), undefined, toGraph.directoryAudit)),
  route("GET", "/auditLogs/directoryAudits/{id}", AUDIT, (ctx, p) => {
    const a = ctx.tenant.state.directoryAudits.find((x) => x.id === p.id);
    if (!a) throw notFound(p.id ?? "");
    return entityResponse(ctx, auditsSpec.entitySet, auditsSpec.resource, toGraph.directoryAudit(a));
  }),
  route("GET", "/auditLogs/signIns", SIGNINS, (ctx) =>
    listResponse(ctx, signInsSpec, newestFirst(ctx.tenant.state.signIns).sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime)), undefined, toGraph.signIn)),
  route("GET", "/auditLogs/signIns/{id}", SIGNINS, (ctx, p) => {
    const s = ctx.tenant.state.signIns.find((x) => x.id === p.id);
    if (!s) throw notFound(p.id ?? "");
    return entityResponse(ctx, signInsSpec.entitySet, signInsSpec.resource, toGraph.signIn(s));
  }),
];
