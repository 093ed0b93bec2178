import { policyAllows } from "./grant-policy";
import { assignedEntry, riskyAppUserConsentAllowed } from "./policy-ops";
import { roleAllows, ROLES } from "./roles";
import type { Tenant } from "./tenant";
import type { KnownApp, ServicePrincipal } from "./types";

export interface ResourceScopes {
  resourceAppId: string;
  scopes: string[];
}

export type SignInEvaluation =
  | { kind: "ok"; servicePrincipalId: string }
  | { kind: "consent-prompt"; scopes: ResourceScopes[]; canConsentForOrganization: boolean; requiresAdminConsent: boolean }
  | { kind: "need-admin-approval"; code: "AADSTS90094" | "AADSTS900941"; scopes: ResourceScopes[]; reason: string; riskyApp: boolean }
  | { kind: "approval-required"; code: "AADSTS90095" | "AADSTS900981"; scopes: ResourceScopes[]; existingRequestId: string | null; riskyApp: boolean }
  | { kind: "blocked"; code: string; reason: string };

const lower = (s: string) => s.toLowerCase();

/** The status reason Entra's audit log gives when risk-based step-up consent stops a user's consent. */
export const RISKY_APP_REASON = "Risky application detected";

/** Scopes a user already holds for client → resource: tenant-wide grant plus their own. */
export function grantedScopes(t: Tenant, clientSpId: string, resourceSpId: string, userId: string | null): Set<string> {
  const out = new Set<string>();
  for (const g of t.state.grants.values()) {
    if (g.clientId !== clientSpId || g.resourceId !== resourceSpId) continue;
    if (g.consentType === "AllPrincipals" || (userId !== null && g.principalId === userId)) {
      for (const s of g.scope.split(/\s+/)) if (s) out.add(lower(s));
    }
  }
  return out;
}

export function isAssigned(t: Tenant, sp: ServicePrincipal, userId: string): boolean {
  for (const a of t.state.appRoleAssignments.values()) {
    if (a.resourceId !== sp.id) continue;
    if (a.principalId === userId) return true;
    if (a.principalType === "Group" && t.transitiveUserIds(a.principalId).has(userId)) return true;
  }
  return false;
}

/** Can this user consent for themselves to this delegated permission under the tenant's policy? */
function userMayConsent(t: Tenant, client: KnownApp, resource: ServicePrincipal, scopeValue: string): boolean {
  const def = resource.oauth2PermissionScopes.find((s) => lower(s.value) === lower(scopeValue));
  if (!def || def.type === "Admin") return false;
  const classification = t.classificationsFor(resource.id).find((c) => c.permissionId === def.id)?.classification;
  const selfPolicies = t.state.authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned
    .map((e) => assignedEntry(e))
    .map((e) => (e?.kind === "self" ? t.state.permissionGrantPolicies.get(e.policyId) : undefined))
    .filter((p) => p !== undefined);
  return selfPolicies.some((p) => policyAllows(p, client, {
    id: def.id, type: "delegated", adminOnly: false, classification, resourceAppId: resource.appId,
  }, t.id));
}

/**
 * What Entra would show this user signing in to this app, from the tenant's current state: the
 * authorization policy (legacy / low / Microsoft-managed / none), risk-based step-up, classifications, verified publisher, admin-only scopes,
 * existing grants, the admin consent workflow, account and assignment flags.
 */
export function evaluateSignIn(t: Tenant, userId: string, appId: string, requested?: ResourceScopes[]): SignInEvaluation {
  const user = t.state.users.get(userId);
  if (!user) return { kind: "blocked", code: "AADSTS50034", reason: "The user account does not exist in the directory." };
  if (!user.accountEnabled) return { kind: "blocked", code: "AADSTS50057", reason: "The user account is disabled." };
  const app = t.findApp(appId);
  if (!app) return { kind: "blocked", code: "AADSTS700016", reason: `Application with identifier '${appId}' was not found in the directory.` };
  const sp = t.servicePrincipalByAppId(appId);
  if (sp && !sp.accountEnabled) return { kind: "blocked", code: "AADSTS7000112", reason: "Application is disabled." };

  const wanted = (requested ?? app.requiredResourceAccess.map((r) => ({ resourceAppId: r.resourceAppId, scopes: r.scopes })))
    .filter((r) => r.scopes.length > 0);
  const missing: ResourceScopes[] = [];
  let adminOnlyMissing = false;
  let userCanConsentAll = true;
  for (const r of wanted) {
    const resource = t.servicePrincipalByAppId(r.resourceAppId);
    if (!resource) return { kind: "blocked", code: "AADSTS650052", reason: `The app needs access to a service ('${r.resourceAppId}') that your organization has not subscribed to or enabled.` };
    for (const s of r.scopes) {
      if (!resource.oauth2PermissionScopes.some((d) => lower(d.value) === lower(s))) {
        return { kind: "blocked", code: "AADSTS65005", reason: `The application asked for scope '${s}' that doesn't exist on the resource '${r.resourceAppId}'.` };
      }
    }
    const have = sp ? grantedScopes(t, sp.id, resource.id, userId) : new Set<string>();
    const lacking = r.scopes.filter((s) => !have.has(lower(s)));
    if (lacking.length === 0) continue;
    missing.push({ resourceAppId: r.resourceAppId, scopes: lacking });
    for (const s of lacking) {
      if (resource.oauth2PermissionScopes.find((d) => lower(d.value) === lower(s))?.type === "Admin") adminOnlyMissing = true;
      if (!userMayConsent(t, app, resource, s)) userCanConsentAll = false;
    }
  }

  const roles = t.rolesOf(userId);
  const isConsentAdmin = roleAllows(ROLES.consentAdmins, roles);
  const assignmentBlocks = sp !== undefined && sp.appRoleAssignmentRequired && !isAssigned(t, sp, userId);

  if (missing.length === 0) {
    if (assignmentBlocks) return { kind: "blocked", code: "AADSTS50105", reason: "The signed in user is not assigned to a role for the application." };
    // a fully consented app with no service principal cannot happen: grants need one
    return { kind: "ok", servicePrincipalId: sp?.id ?? "" };
  }
  if (isConsentAdmin) {
    return { kind: "consent-prompt", scopes: missing, canConsentForOrganization: true, requiresAdminConsent: adminOnlyMissing || !userCanConsentAll };
  }
  const workflowOn = t.state.adminConsentRequestPolicy.isEnabled;
  const pendingRequestId = () => {
    const existing = [...t.state.appConsentRequests.values()].find((r) => lower(r.appId) === lower(appId));
    const mine = existing?.userConsentRequests.find((u) => u.createdBy.user.id === userId && u.status === "InProgress");
    return mine ? (existing?.id ?? null) : null;
  };
  // user consent is never allowed when assignment is required (GRAPH.md: 90094 also means this)
  if (userCanConsentAll && !assignmentBlocks) {
    // Risk-based step-up consent: where the user could consent, a risky app goes to an admin instead
    // (Entra audits "Consent to application" with "Risky application detected").
    if (app.risky && !riskyAppUserConsentAllowed(t)) {
      return workflowOn
        ? { kind: "approval-required", code: "AADSTS900981", scopes: missing, existingRequestId: pendingRequestId(), riskyApp: true }
        : { kind: "need-admin-approval", code: "AADSTS900941", scopes: missing, reason: RISKY_APP_REASON, riskyApp: true };
    }
    return { kind: "consent-prompt", scopes: missing, canConsentForOrganization: false, requiresAdminConsent: false };
  }
  if (workflowOn) {
    return { kind: "approval-required", code: "AADSTS90095", scopes: missing, existingRequestId: pendingRequestId(), riskyApp: false };
  }
  return {
    kind: "need-admin-approval", code: "AADSTS90094", scopes: missing, riskyApp: false,
    reason: assignmentBlocks ? "User assignment is required and the app has no admin consent."
      : adminOnlyMissing ? "One or more permissions require admin consent."
      : "The tenant's user consent settings do not allow this user to consent to these permissions.",
  };
}
