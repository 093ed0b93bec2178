import { createAppRoleAssignment } from "./assignment-ops";
import { evaluateSignIn, grantedScopes, type ResourceScopes } from "./consent-eval";
import { mailRequesterOfOutcome, mailReviewersOfNewRequest } from "./entra-mail";
import { badRequest, forbidden, GraphError, notFound } from "./errors";
import { createGrant, findGrant, splitScope, updateGrantScope } from "./grant-ops";
import { newGuid } from "./ids";
import { PRIVILEGED_RESOURCE_APP_IDS, roleAllows, ROLES } from "./roles";
import { ensureServicePrincipal } from "./sp-ops";
import type { Tenant } from "./tenant";
import type { Actor, AppConsentRequest, AppRole, OAuth2PermissionGrant, ServicePrincipal, UserConsentRequest } from "./types";

export { evaluateSignIn, type ResourceScopes, type SignInEvaluation } from "./consent-eval";

export interface AdminConsentRequest {
  /** defaults to the app's delegated permissions when neither list is given */
  delegated?: ResourceScopes[];
  /** app roles by value (e.g. "Mail.Read") or id; defaults to the app's application permissions */
  appRoles?: { resourceAppId: string; roles: string[] }[];
}

export interface AdminConsentResult {
  servicePrincipal: ServicePrincipal;
  createdServicePrincipal: boolean;
  grants: { id: string; resourceAppId: string; scope: string; action: "created" | "updated" | "unchanged" }[];
  appRoleAssignments: { id: string; resourceAppId: string; appRoleId: string; value: string; action: "created" | "existing" }[];
  completedRequestIds: string[];
}

const mergeScopes = (existing: string, added: readonly string[]): string => {
  const out = splitScope(existing);
  const seen = new Set(out.map((s) => s.toLowerCase()));
  for (const s of added) if (!seen.has(s.toLowerCase())) { out.push(s); seen.add(s.toLowerCase()); }
  return out.join(" ");
};

function resourceOrThrow(t: Tenant, appId: string): ServicePrincipal {
  const r = t.servicePrincipalByAppId(appId);
  if (!r) throw badRequest(`The resource application '${appId}' has no service principal in this tenant.`);
  return r;
}

/**
 * Tenant-wide admin consent, as Entra's "Grant admin consent" / the /adminconsent endpoint does it:
 * create the service principal if missing, merge delegated scopes into the one AllPrincipals grant
 * per resource (never a second grant), add missing app role assignments. Everything is validated
 * before the first write, so a refusal changes nothing.
 */
export function grantAdminConsent(t: Tenant, appId: string, request: AdminConsentRequest, actor: Actor): AdminConsentResult {
  const app = t.findApp(appId);
  if (!app) throw badRequest(`The appId '${appId}' does not reference a valid application object.`);
  const useDefaults = request.delegated === undefined && request.appRoles === undefined;
  const delegated = useDefaults ? app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, scopes: r.scopes })) : (request.delegated ?? []);
  const roleRequests = useDefaults ? app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, roles: r.appRoles })) : (request.appRoles ?? []);

  if (actor.kind === "user" && actor.roles !== undefined) {
    if (!roleAllows(ROLES.consentAdmins, actor.roles)) throw forbidden();
    const privileged = roleRequests.some((r) => r.roles.length > 0 && PRIVILEGED_RESOURCE_APP_IDS.has(r.resourceAppId));
    if (privileged && !roleAllows(ROLES.graphAppRoleAdmins, actor.roles)) throw forbidden();
  }
  const resolvedRoles: { resource: ServicePrincipal; role: AppRole }[] = [];
  for (const r of roleRequests) {
    if (r.roles.length === 0) continue;
    const resource = resourceOrThrow(t, r.resourceAppId);
    for (const name of r.roles) {
      const role = resource.appRoles.find((x) => x.value === name || x.id === name);
      if (!role) throw badRequest(`'${name}' is not an application permission of '${resource.displayName}'.`);
      resolvedRoles.push({ resource, role });
    }
  }
  for (const d of delegated) {
    const resource = resourceOrThrow(t, d.resourceAppId);
    const unknown = d.scopes.filter((s) => !resource.oauth2PermissionScopes.some((x) => x.value.toLowerCase() === s.toLowerCase()));
    if (unknown.length > 0) throw badRequest(`'${unknown.join(" ")}' is not a delegated permission of '${resource.displayName}'.`);
  }

  const { servicePrincipal: sp, created } = ensureServicePrincipal(t, app.appId, actor);
  const result: AdminConsentResult = { servicePrincipal: sp, createdServicePrincipal: created, grants: [], appRoleAssignments: [], completedRequestIds: [] };
  for (const d of delegated) {
    if (d.scopes.length === 0) continue;
    const resource = resourceOrThrow(t, d.resourceAppId);
    const existing = findGrant(t, sp.id, resource.id, "AllPrincipals", null);
    if (!existing) {
      const g = createGrant(t, { clientId: sp.id, consentType: "AllPrincipals", principalId: null, resourceId: resource.id, scope: d.scopes.join(" ") }, actor);
      result.grants.push({ id: g.id, resourceAppId: d.resourceAppId, scope: g.scope, action: "created" });
    } else {
      const merged = mergeScopes(existing.scope, d.scopes);
      const changed = merged !== existing.scope;
      if (changed) updateGrantScope(t, existing.id, merged, actor);
      result.grants.push({ id: existing.id, resourceAppId: d.resourceAppId, scope: merged, action: changed ? "updated" : "unchanged" });
    }
  }
  for (const { resource, role } of resolvedRoles) {
    const found = [...t.state.appRoleAssignments.values()].find((a) => a.principalId === sp.id && a.resourceId === resource.id && a.appRoleId === role.id);
    const a = found ?? createAppRoleAssignment(t, resource.id, { principalId: sp.id, resourceId: resource.id, appRoleId: role.id }, actor);
    result.appRoleAssignments.push({ id: a.id, resourceAppId: resource.appId, appRoleId: role.id, value: role.value, action: found ? "existing" : "created" });
  }
  // Approving in Entra is granting admin consent, so this path completes the app's pending requests
  // (those whose lifetime is over first expire: consent given after that answers no request).
  expireDueRequests(t);
  for (const req of t.state.appConsentRequests.values()) {
    if (req.appId.toLowerCase() !== app.appId.toLowerCase()) continue;
    result.completedRequestIds.push(...completeRequest(t, req, { kind: "approved" }));
  }
  const permissionText = [
    ...result.grants.map((g) => `Scope: ${g.scope}`),
    ...result.appRoleAssignments.map((a) => `AppRole: ${a.value}`),
  ].join(", ");
  t.audit({
    activity: "Consent to application", operationType: "Assign", actor,
    targets: [{ id: sp.id, displayName: sp.displayName, type: "ServicePrincipal", modifiedProperties: [
      { displayName: "ConsentContext.IsAdminConsent", oldValue: null, newValue: '"True"' },
      { displayName: "ConsentContext.OnBehalfOfAll", oldValue: null, newValue: '"True"' },
      { displayName: "ConsentAction.Permissions", oldValue: null, newValue: JSON.stringify(permissionText) },
    ] }],
    additionalDetails: [{ key: "AppId", value: sp.appId }],
  });
  return result;
}

/** A user accepting the consent prompt for themselves: one Principal grant per resource, merged. */
export function grantUserConsent(t: Tenant, userId: string, appId: string, requested?: ResourceScopes[]): OAuth2PermissionGrant[] {
  const evaluation = evaluateSignIn(t, userId, appId, requested);
  if (evaluation.kind === "ok") return [];
  if (evaluation.kind !== "consent-prompt") {
    throw new GraphError(403, "Authorization_RequestDenied", `User consent is not possible (${evaluation.code}).`);
  }
  const actor = t.actorFor(userId);
  const { servicePrincipal: sp } = ensureServicePrincipal(t, appId, actor);
  const out: OAuth2PermissionGrant[] = [];
  for (const r of evaluation.scopes) {
    const resource = resourceOrThrow(t, r.resourceAppId);
    const existing = findGrant(t, sp.id, resource.id, "Principal", userId);
    out.push(existing
      ? updateGrantScope(t, existing.id, mergeScopes(existing.scope, r.scopes), actor)
      : createGrant(t, { clientId: sp.id, consentType: "Principal", principalId: userId, resourceId: resource.id, scope: r.scopes.join(" ") }, actor));
  }
  t.audit({
    activity: "Consent to application", operationType: "Assign", actor,
    targets: [{ id: sp.id, displayName: sp.displayName, type: "ServicePrincipal", modifiedProperties: [
      { displayName: "ConsentContext.IsAdminConsent", oldValue: null, newValue: '"False"' },
      { displayName: "ConsentContext.OnBehalfOfAll", oldValue: null, newValue: '"False"' },
      { displayName: "ConsentAction.Permissions", oldValue: null, newValue: JSON.stringify(evaluation.scopes.map((s) => `Scope: ${s.scopes.join(" ")}`).join(", ")) },
    ] }],
    additionalDetails: [{ key: "AppId", value: sp.appId }],
  });
  return out;
}

export interface ConsentRequestResult {
  appConsentRequest: AppConsentRequest;
  userConsentRequest: UserConsentRequest;
  created: boolean;
}

/** The "Approval required" form: only the sign-in experience creates Entra consent requests. */
export function createConsentRequest(t: Tenant, userId: string, appId: string, reason: string): ConsentRequestResult {
  if (!t.state.adminConsentRequestPolicy.isEnabled) throw badRequest("The admin consent workflow is not enabled in this tenant.");
  const user = t.state.users.get(userId);
  if (!user) throw notFound(userId);
  const app = t.findApp(appId);
  if (!app) throw notFound(appId);
  const evaluation = evaluateSignIn(t, userId, appId);
  const pending = evaluation.kind === "approval-required" || evaluation.kind === "need-admin-approval" || evaluation.kind === "consent-prompt"
    ? evaluation.scopes.flatMap((s) => s.scopes) : [];
  let req = [...t.state.appConsentRequests.values()].find((r) => r.appId.toLowerCase() === appId.toLowerCase());
  if (!req) {
    req = { id: newGuid(), appId: app.appId, appDisplayName: app.displayName, pendingScopes: [], userConsentRequests: [] };
    t.state.appConsentRequests.set(req.id, req);
  }
  const names = new Set(req.pendingScopes.map((p) => p.displayName));
  for (const s of pending) if (!names.has(s)) { req.pendingScopes.push({ displayName: s }); names.add(s); }
  const mine = req.userConsentRequests.find((u) => u.createdBy.user.id === userId && u.status === "InProgress");
  if (mine) return { appConsentRequest: req, userConsentRequest: mine, created: false };
  const u: UserConsentRequest = {
    id: newGuid(), approvalId: newGuid(), completedDateTime: null, createdDateTime: t.nowIso(),
    createdBy: { user: { id: user.id, displayName: user.displayName, userPrincipalName: user.userPrincipalName } },
    customData: null, reason: reason.slice(0, 1000), status: "InProgress",
  };
  req.userConsentRequests.push(u);
  if (t.state.adminConsentRequestPolicy.notifyReviewers) mailReviewersOfNewRequest(t, t.reviewerUserIds(), req, u);
  t.audit({
    activity: "Create app consent request", category: "UserManagement", operationType: "Add", actor: t.actorFor(userId),
    targets: [{ id: req.id, displayName: app.displayName, type: "AppConsentRequest", modifiedProperties: [] }],
    additionalDetails: [{ key: "AppId", value: app.appId }],
  });
  return { appConsentRequest: req, userConsentRequest: u, created: true };
}

/** Marks every InProgress request of the app Completed (approved or denied) and tells each requester. */
function completeRequest(
  t: Tenant,
  req: AppConsentRequest,
  outcome: { kind: "approved" } | { kind: "denied"; reviewer: string; justification: string },
): string[] {
  const done: string[] = [];
  for (const u of req.userConsentRequests) {
    if (u.status !== "InProgress") continue;
    u.status = "Completed";
    u.completedDateTime = t.nowIso();
    done.push(u.id);
    mailRequesterOfOutcome(t, req, u, outcome);
  }
  req.pendingScopes = [];
  return done;
}

/**
 * Whether every pending scope of the request is now held tenant-wide (an AllPrincipals grant of the
 * app's service principal on the resource that publishes it, as listed in the app's
 * requiredResourceAccess; a scope the app does not list counts if any resource's tenant-wide grant
 * holds it).
 */
function pendingScopesGrantedTenantWide(t: Tenant, req: AppConsentRequest): boolean {
  if (req.pendingScopes.length === 0) return false;
  const sp = t.servicePrincipalByAppId(req.appId);
  if (!sp) return false;
  const required = t.findApp(req.appId)?.requiredResourceAccess ?? [];
  const granted = new Map<string, Set<string>>();
  const grantedOn = (resourceSpId: string) => {
    let set = granted.get(resourceSpId);
    if (!set) granted.set(resourceSpId, (set = grantedScopes(t, sp.id, resourceSpId, null)));
    return set;
  };
  const resourceIdsOfGrants = [...new Set(t.grantsOf(sp.id).filter((g) => g.consentType === "AllPrincipals").map((g) => g.resourceId))];
  return req.pendingScopes.every(({ displayName }) => {
    const scope = displayName.toLowerCase();
    const publishers = required.filter((r) => r.scopes.some((s) => s.toLowerCase() === scope));
    const resources = publishers.length > 0
      ? publishers.flatMap((r) => t.servicePrincipalByAppId(r.resourceAppId)?.id ?? [])
      : resourceIdsOfGrants;
    return resources.some((id) => grantedOn(id).has(scope));
  });
}

/**
 * Brings Entra's consent requests up to date with the tenant and the clock, the way Entra does on its
 * own side:
 * - a request still InProgress after the policy's requestDurationInDays becomes Expired, and the
 *   requester is mailed;
 * - a request whose pending scopes are all granted tenant-wide becomes Completed, and the requester
 *   is mailed that it was approved.
 *
 * The second rule is the simulator's choice on a point Microsoft does not document (GRAPH.md fact 1,
 * "Unconfirmed: whether a grant made via Graph marks the Entra request Completed"): approving in Entra
 * *is* granting admin consent, and the portal approves by granting through Graph, so the simulator
 * treats a grant that covers everything asked as the approval. A grant covering only part of it leaves
 * the request InProgress. On a real tenant, should the request stay open, it expires instead; the
 * portal keeps its own record of the approval either way.
 *
 * Called after every Graph write, before every read of the requests, from the mail pages and the
 * clock control, so the outcome is visible as soon as anything could observe it.
 */
export function settleConsentRequests(t: Tenant): void {
  expireDueRequests(t);
  for (const req of t.state.appConsentRequests.values()) {
    if (req.userConsentRequests.some((u) => u.status === "InProgress") && pendingScopesGrantedTenantWide(t, req)) {
      completeRequest(t, req, { kind: "approved" });
    }
  }
}

function expireDueRequests(t: Tenant): void {
  const days = t.state.adminConsentRequestPolicy.requestDurationInDays;
  const cutoff = t.nowMs() - days * 86_400_000;
  for (const req of t.state.appConsentRequests.values()) {
    for (const u of req.userConsentRequests) {
      if (u.status === "InProgress" && Date.parse(u.createdDateTime) <= cutoff) {
        u.status = "Expired";
        mailRequesterOfOutcome(t, req, u, { kind: "expired" });
      }
    }
  }
}

/**
 * A reviewer denying the app's request in Entra's admin center ("Deny", with a justification): every
 * requester of the app is told. Graph has no such call (GRAPH.md fact 1), so only the simulator's
 * control endpoint reaches this, to show what a requester receives from Entra.
 */
export function denyConsentRequest(t: Tenant, requestId: string, reviewerId: string, justification: string): string[] {
  settleConsentRequests(t);
  const req = t.state.appConsentRequests.get(requestId);
  if (!req) throw notFound(requestId);
  const reviewer = t.state.users.get(reviewerId);
  if (!reviewer || !t.reviewerUserIds().has(reviewerId)) throw forbidden();
  const denied = completeRequest(t, req, { kind: "denied", reviewer: reviewer.displayName, justification: justification.slice(0, 1000) });
  t.audit({
    activity: "Deny app consent request", category: "UserManagement", operationType: "Update", actor: t.actorFor(reviewerId),
    targets: [{ id: req.id, displayName: req.appDisplayName, type: "AppConsentRequest", modifiedProperties: [] }],
    additionalDetails: [{ key: "AppId", value: req.appId }],
  });
  return denied;
}
