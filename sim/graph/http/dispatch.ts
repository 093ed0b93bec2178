import { badRequest, GraphError } from "../state/errors";
import { newGuid } from "../state/ids";
import { unresolvedSegment, type Route } from "../routes/common";
import { directoryRoutes } from "../routes/directory";
import { servicePrincipalRoutes } from "../routes/service-principals";
import { grantRoutes } from "../routes/grants";
import { policyRoutes } from "../routes/policies";
import { consentRequestRoutes } from "../routes/consent-requests";
import { settleConsentRequests } from "../state/consent";
import { auditLogRoutes } from "../routes/audit-logs";
import { authorize } from "./auth";
import type { RequestCtx, RouteResult } from "./context";
import type { GraphRequestCounter } from "./control";
import type { FaultInjector } from "./faults";
import { errorResult } from "./respond";

export const ROUTES: readonly Route[] = [
  ...directoryRoutes, ...servicePrincipalRoutes, ...grantRoutes, ...policyRoutes, ...consentRequestRoutes, ...auditLogRoutes,
];

export interface DispatchInput {
  base: Omit<RequestCtx, "method" | "path" | "query" | "headers" | "body">;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body: unknown;
  faults: FaultInjector;
  requestId: string;
  clientRequestId: string;
  log?: (msg: string) => void;
  requests?: GraphRequestCounter;
}

function findRoute(ctx: RequestCtx): { route: Route; params: Record<string, string> } {
  let pathMatched = false;
  for (const r of ROUTES) {
    if (!r.versions.includes(ctx.version)) continue;
    const m = r.pattern.exec(ctx.path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== ctx.method) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = v;
    return { route: r, params };
  }
  if (pathMatched) throw new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
  throw badRequest(`Resource not found for the segment '${unresolvedSegment(ctx.path, ROUTES, ctx.version)}'.`, "BadRequest");
}

/** One Graph call (a top-level request or one $batch part): fault → route → authorize → handle. */
export function dispatch(input: DispatchInput): RouteResult {
  const ctx: RequestCtx = { ...input.base, method: input.method.toUpperCase(), path: input.path, query: input.query, headers: input.headers, body: input.body };
  input.requests?.count(ctx.method);
  try {
    const fault = input.faults.check(ctx.method, `/${ctx.version}${ctx.path}`, ctx.tenant.nowMs());
    if (fault) throw fault;
    const expired = input.faults.expiredPageToken(`/${ctx.version}${ctx.path}`, ctx.query);
    if (expired) throw expired;
    const { route, params } = findRoute(ctx);
    authorize(ctx.caller, route.perm);
    const result = route.handle(ctx, params);
    // Entra completes a consent request once what it asked is granted tenant-wide (state/consent.ts).
    if (ctx.method !== "GET" && result.status < 300) settleConsentRequests(ctx.tenant);
    return result;
  } catch (e) {
    return errorResult(e, input.requestId, input.clientRequestId, input.log);
  }
}

export const newRequestId = newGuid;
