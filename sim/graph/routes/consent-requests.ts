import { settleConsentRequests } from "../state/consent";
import { notFound } from "../state/errors";
import { ROLES } from "../state/roles";
import type { AppConsentRequest } from "../state/types";
import { need } from "../http/auth";
import type { RequestCtx } from "../http/context";
import { entityResponse, listResponse, type CollectionSpec } from "../odata/query";
import { route, type Route } from "./common";
import { toGraph } from "../serialize";

const BASE = "/identityGovernance/appConsent/appConsentRequests";
const READ = need("ConsentRequest.Read.All", ROLES.consentRequestReaders);

const requestsSpec: CollectionSpec = {
  entitySet: "identityGovernance/appConsent/appConsentRequests", resource: "microsoft.graph.appConsentRequest",
  filterable: new Set(["id", "appId", "appDisplayName", "userConsentRequests"]),
};
const userRequestsSpec: CollectionSpec = {
  entitySet: "userConsentRequests", resource: "microsoft.graph.userConsentRequest",
  filterable: new Set(["id", "status", "createdDateTime", "reason", "createdBy"]),
};

// userConsentRequests is a navigation property: filterable, but not returned inline
const view = toGraph.appConsentRequest;

function requestOr404(ctx: RequestCtx, id: string): AppConsentRequest {
  settleConsentRequests(ctx.tenant);
  const r = ctx.tenant.state.appConsentRequests.get(id);
  if (!r) throw notFound(id);
  return r;
}
function all(ctx: RequestCtx): AppConsentRequest[] {
  settleConsentRequests(ctx.tenant);
  return [...ctx.tenant.state.appConsentRequests.values()];
}

export const consentRequestRoutes: Route[] = [
  route("GET", BASE, READ, (ctx) => listResponse(ctx, requestsSpec, all(ctx), undefined, view)),
  // reviewers may be regular users: they see requests when the workflow policy names them
  route("GET", `${BASE}/filterByCurrentUser(on='reviewer')`, need("ConsentRequest.Read.All", ROLES.member), (ctx) => {
    const isReviewer = ctx.caller.kind === "user" && ctx.tenant.reviewerUserIds().has(ctx.caller.oid);
    return listResponse(ctx, requestsSpec, isReviewer ? all(ctx) : [], undefined, view);
  }),
  route("GET", `${BASE}/{id}`, READ, (ctx, p) => entityResponse(ctx, requestsSpec.entitySet, requestsSpec.resource, view(requestOr404(ctx, p.id ?? "")))),
  route("GET", `${BASE}/{id}/userConsentRequests`, READ, (ctx, p) => {
    const r = requestOr404(ctx, p.id ?? "");
    return listResponse(ctx, { ...userRequestsSpec, entitySet: `${requestsSpec.entitySet}('${r.id}')/userConsentRequests` }, r.userConsentRequests, undefined, toGraph.userConsentRequest);
  }),
  route("GET", `${BASE}/{id}/userConsentRequests/{uid}`, READ, (ctx, p) => {
    const u = requestOr404(ctx, p.id ?? "").userConsentRequests.find((x) => x.id === p.uid);
    if (!u) throw notFound(p.uid ?? "");
    return entityResponse(ctx, userRequestsSpec.entitySet, userRequestsSpec.resource, toGraph.userConsentRequest(u));
  }),
];
