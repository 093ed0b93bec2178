import { notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import { need } from "../http/auth";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { route, type Route } from "./common";
import { toGraph } from "../serialize";
import type { SignIn } from "../state/types";

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

/**
 * Beta `reports/servicePrincipalSignInActivities`: per app, the last time it signed in, split by how —
 * as a client on a user's behalf (delegated), as the API a user's token was for (delegated resource),
 * and app-only. Graph derives it from the sign-in log; so does the simulator, whose log holds users'
 * sign-ins only (no app-only ones). Apps with no sign-in are absent, as in Graph. AuditLog.Read.All
 * (Directory.Read.All also serves).
 */
const REPORT = need("AuditLog.Read.All|Directory.Read.All", ROLES.auditReaders);
const activitySpec: CollectionSpec = {
  entitySet: "reports/servicePrincipalSignInActivities", resource: "microsoft.graph.servicePrincipalSignInActivity",
  filterable: new Set(["id", "appId"]),
  maxTop: 1000,
};

type Activity = { lastSignInDateTime: string; lastSignInRequestId: string } | null;
type SignInActivity = {
  id: string; appId: string;
  delegatedClientSignInActivity: Activity; delegatedResourceSignInActivity: Activity;
  applicationAuthenticationClientSignInActivity: Activity; applicationAuthenticationResourceSignInActivity: Activity;
  lastSignInActivity: Activity;
};

const later = (a: Activity, b: Activity): Activity => (!a ? b : !b ? a : b.lastSignInDateTime > a.lastSignInDateTime ? b : a);

export function signInActivities(signIns: readonly { id: string; createdDateTime: string; appId: string; resourceId: string }[]): SignInActivity[] {
  const byApp = new Map<string, SignInActivity>();
  const of = (appId: string) => {
    const key = appId.toLowerCase();
    let entry = byApp.get(key);
    if (!entry) {
      entry = {
        id: Buffer.from(key).toString("base64"), appId: key, delegatedClientSignInActivity: null, delegatedResourceSignInActivity: null,
        applicationAuthenticationClientSignInActivity: null, applicationAuthenticationResourceSignInActivity: null, lastSignInActivity: null,
      };
      byApp.set(key, entry);
    }
    return entry;
  };
  for (const s of signIns) {
    const activity = { lastSignInDateTime: s.createdDateTime, lastSignInRequestId: s.id };
    const client = of(s.appId);
    client.delegatedClientSignInActivity = later(client.delegatedClientSignInActivity, activity);
    client.lastSignInActivity = later(client.lastSignInActivity, activity);
    if (s.resourceId) {
      const resource = of(s.resourceId);
      resource.delegatedResourceSignInActivity = later(resource.delegatedResourceSignInActivity, activity);
      resource.lastSignInActivity = later(resource.lastSignInActivity, activity);
    }
  }
  return [...byApp.values()].sort((a, b) => a.appId.localeCompare(b.appId));
}

/** The report of a log, derived again only when the log changed (a page of a large tenant's report costs the page). */
let derived: { log: readonly SignIn[]; length: number; last: string | undefined; report: SignInActivity[] } | null = null;
function activitiesOf(log: readonly SignIn[]): SignInActivity[] {
  const last = log.at(-1);
  const key = last ? `${last.id}|${last.createdDateTime}` : undefined;
  if (derived?.log !== log || derived.length !== log.length || derived.last !== key) derived = { log, length: log.length, last: key, report: signInActivities(log) };
  return derived.report;
}

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
  route("GET", "/reports/servicePrincipalSignInActivities", REPORT, (ctx) => listResponse(ctx, activitySpec, activitiesOf(ctx.tenant.state.signIns)), ["beta"]),
  route("GET", "/reports/servicePrincipalSignInActivities/{id}", REPORT, (ctx, p) => {
    const found = activitiesOf(ctx.tenant.state.signIns).find((a) => a.id === p.id);
    if (!found) throw notFound(p.id ?? "");
    return entityResponse(ctx, activitySpec.entitySet, activitySpec.resource, found);
  }, ["beta"]),
];
