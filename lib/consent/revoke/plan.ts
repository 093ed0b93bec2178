import { describePermission, MICROSOFT_GRAPH_APP_ID, type PermissionInfo } from "@/lib/permissions";
import { ENTRA_ROLES } from "@/lib/roles";
import type { AppState } from "../app-state";
import type { ConsentAgain } from "../could-consent-again";
import { GRAPH_APP_ROLE_REASON } from "../grant/plan";

/**
 * What "revoke" would change, computed from the tenant's state before anything is written: remove
 * scopes from the tenant-wide grant (PATCH with what remains, DELETE when nothing does), remove
 * application permissions, revoke users' own consent (their Principal grants), or delete the service
 * principal. The preview shows it and execution follows it. Pure.
 */

export type RevokeSelection = {
  /** Tenant-wide delegated scopes to remove, per API (by the API's appId). */
  scopes: { resourceAppId: string; scopes: string[] }[];
  /** Application permissions to remove, per API. */
  appRoles: { resourceAppId: string; values: string[] }[];
  /** Users whose own consent (every Principal grant of this app) is revoked. */
  users: string[];
  /** Delete the app's service principal: everything above goes with it. */
  deleteServicePrincipal: boolean;
  /**
   * Keep the app but block it (seed 001's "prohibit users" that holds): disable sign-in, require
   * assignment, and remove every grant. Unlike deletion, users cannot consent to it again.
   */
  block?: boolean;
};

/** A successful sign-in from the sign-in log: someone who used the app. */
export type AppSignIn = { userId: string; name: string; upn: string; at: string };

export type ScopeRemoval = {
  resourceAppId: string;
  resourceName: string;
  resourceId: string;
  grantId: string;
  existing: string[];
  remove: PermissionInfo[];
  /** Chosen but not in the grant (any more): nothing to do for them. */
  notGranted: string[];
  /** What stays in the grant; empty means the grant is deleted. */
  remaining: string[];
  deletesGrant: boolean;
  /** Users who consented for themselves to some of the removed scopes: they keep those (their own grant). */
  keptByOwnConsent: { name: string; upn: string; scopes: string[] }[];
};

export type AppRoleRemoval = {
  resourceAppId: string;
  resourceName: string;
  resourceId: string;
  permission: PermissionInfo;
  appRoleId: string | null;
  assignmentId: string | null;
  /** Why this step will not be done: not granted, or the admin's Entra role cannot. */
  blockedReason: string | null;
  notGranted: boolean;
};

export type UserConsentRemoval = {
  principalId: string;
  name: string;
  upn: string;
  grants: { grantId: string; resourceName: string; scopes: string[] }[];
};

export type AffectedUser = { name: string; upn: string; why: string };

export type BlockPlan = {
  blockedReason: string | null;
  /** accountEnabled goes true → false (false: already disabled). */
  disablesSignIn: boolean;
  /** appRoleAssignmentRequired goes false → true. */
  requiresAssignment: boolean;
};

export type RevokePlan = {
  servicePrincipalId: string | null;
  deleteServicePrincipal: { blockedReason: string | null } | null;
  block: BlockPlan | null;
  /**
   * For deleting or blocking: whether users could consent to the app again afterwards under today's
   * user consent setting and classifications (after blocking they cannot: sign-in is off). Null when not evaluated.
   */
  consentAgain: ConsentAgain | null;
  /** Users who signed in to the app without a consent of their own (the tenant-wide grant): the sign-in log knows them. */
  signedInUsers: AffectedUser[];
  /** Why the sign-in log could not be read, when it could not. */
  signInLogUnavailable: string | null;
  scopes: ScopeRemoval[];
  appRoles: AppRoleRemoval[];
  users: UserConsentRemoval[];
  /** Chosen users who have no consent of their own for this app (any more). */
  usersWithoutConsent: string[];
  /** Every user in the tenant loses something (tenant-wide scopes removed, or the app deleted). */
  everyoneAffected: boolean;
  /** Users named one by one: their own consent is revoked (or deleted with the app). */
  affectedUsers: AffectedUser[];
  /** Users and groups assigned to the app: they lose it when it is deleted. */
  affectedAssignments: { name: string; type: string }[];
  /** The app itself loses application permissions (acting without a user). */
  appLosesOwnAccess: boolean;
  changeCount: number;
};

/** GRAPH_APP_ROLE_REASON's wording, for taking Microsoft Graph application permissions away. */
export const GRAPH_APP_ROLE_REMOVE_REASON = GRAPH_APP_ROLE_REASON.replace("can grant", "can remove");

/** Deleting (or changing) a service principal needs Application.ReadWrite.All with one of these roles. */
export const SERVICE_PRINCIPAL_ROLE_REASON =
  "Only a Cloud Application Administrator, Application Administrator or Global Administrator can change or delete an app's service principal; your Entra role cannot.";

export function canRemoveGraphAppRoles(wids: readonly string[]): boolean {
  return wids.includes(ENTRA_ROLES.globalAdministrator) || wids.includes(ENTRA_ROLES.privilegedRoleAdministrator);
}

export function canChangeServicePrincipal(wids: readonly string[]): boolean {
  const { globalAdministrator, cloudApplicationAdministrator, applicationAdministrator } = ENTRA_ROLES;
  return [globalAdministrator, cloudApplicationAdministrator, applicationAdministrator].some((role) => wids.includes(role));
}

const lower = (value: string) => value.toLowerCase();

export type PlanRevokeInput = {
  selection: RevokeSelection;
  state: AppState;
  adminWids: readonly string[];
  /** Whether users could consent again once the app is gone (deleting and blocking evaluate it). */
  consentAgain?: ConsentAgain | null;
  /** Successful sign-ins to the app (the sign-in log), or why they could not be read. */
  signIns?: AppSignIn[] | { unavailable: string };
};

const formatDay = (iso: string) => iso.slice(0, 10);

/** Who used the app without a consent of their own: the tenant-wide grant let them in. One entry per user, their latest sign-in. */
function tenantWideUsers(state: AppState, signIns: AppSignIn[]): AffectedUser[] {
  const own = new Set(state.userConsents.map((c) => c.principalId.toLowerCase()));
  const latest = new Map<string, AppSignIn>();
  for (const entry of signIns) {
    const key = entry.userId.toLowerCase();
    if (own.has(key)) continue;
    const seen = latest.get(key);
    if (!seen || seen.at < entry.at) latest.set(key, entry);
  }
  const through = state.tenantWide.length > 0 ? "through the tenant-wide grant" : "with consent that no longer exists";
  return [...latest.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => ({ name: u.name, upn: u.upn, why: `Signed in ${through} (last on ${formatDay(u.at)}, sign-in log).` }));
}

/** Every grant the app holds, chosen: its tenant-wide scopes, application permissions and users' own consent (the service principal stays). */
export function everythingGranted(state: PlanRevokeInput["state"]): RevokeSelection {
  return {
    scopes: state.tenantWide.map((g) => ({ resourceAppId: g.resource.appId, scopes: g.scopes })),
    appRoles: [...new Set(state.appPermissions.map((p) => p.resource.appId))].map((api) => ({
      resourceAppId: api,
      values: state.appPermissions.filter((p) => p.resource.appId === api).map((p) => p.value),
    })),
    users: [...new Set(state.userConsents.map((c) => c.principalId))],
    deleteServicePrincipal: false,
  };
}

export function planRevoke(input: PlanRevokeInput): RevokePlan {
  const { state, adminWids } = input;
  const sp = state.servicePrincipal;
  const signIns = Array.isArray(input.signIns) ? input.signIns : [];
  const signInLogUnavailable = input.signIns && !Array.isArray(input.signIns) ? input.signIns.unavailable : null;
  // Blocking removes every grant of the app: the tenant-wide scopes, application permissions and users' own consent.
  const selection: RevokeSelection = input.selection.block && sp && !input.selection.deleteServicePrincipal ? { ...everythingGranted(state), block: true } : input.selection;
  const empty: RevokePlan = {
    servicePrincipalId: null,
    deleteServicePrincipal: null,
    block: null,
    consentAgain: null,
    signedInUsers: [],
    signInLogUnavailable: null,
    scopes: [],
    appRoles: [],
    users: [],
    usersWithoutConsent: [...selection.users],
    everyoneAffected: false,
    affectedUsers: [],
    affectedAssignments: [],
    appLosesOwnAccess: false,
    changeCount: 0,
  };
  if (!sp) return empty;

  const consentsByUser = new Map<string, UserConsentRemoval>();
  for (const consent of state.userConsents) {
    const entry = consentsByUser.get(consent.principalId) ?? { principalId: consent.principalId, name: consent.principalName, upn: consent.principalUpn, grants: [] };
    entry.grants.push({ grantId: consent.grantId, resourceName: consent.resource.displayName, scopes: consent.scopes });
    consentsByUser.set(consent.principalId, entry);
  }

  if (selection.deleteServicePrincipal) {
    const blockedReason = canChangeServicePrincipal(adminWids) ? null : SERVICE_PRINCIPAL_ROLE_REASON;
    return {
      ...empty,
      usersWithoutConsent: [],
      servicePrincipalId: sp.id,
      deleteServicePrincipal: { blockedReason },
      consentAgain: input.consentAgain ?? null,
      signedInUsers: tenantWideUsers(state, signIns),
      signInLogUnavailable,
      everyoneAffected: true,
      affectedUsers: [...consentsByUser.values()].map((user) => ({
        name: user.name,
        upn: user.upn,
        why: `Their own consent (${user.grants.flatMap((g) => g.scopes).join(", ")}) is deleted with the app.`,
      })),
      affectedAssignments: state.assignments.map((a) => ({ name: a.principalDisplayName, type: a.principalType })),
      appLosesOwnAccess: state.appPermissions.length > 0,
      changeCount: blockedReason ? 0 : 1,
    };
  }

  const scopes = selection.scopes
    .filter((entry) => entry.scopes.length > 0)
    .flatMap((entry): ScopeRemoval[] => {
      const grant = state.tenantWide.find((g) => lower(g.resource.appId) === lower(entry.resourceAppId));
      if (!grant) return [];
      const chosen = new Set(entry.scopes.map(lower));
      const remove = grant.scopes.filter((scope) => chosen.has(lower(scope)));
      const have = new Set(grant.scopes.map(lower));
      const remaining = grant.scopes.filter((scope) => !chosen.has(lower(scope)));
      const removedSet = new Set(remove.map(lower));
      const keptByOwnConsent = state.userConsents
        .filter((c) => c.resource.id === grant.resource.id)
        .map((c) => ({ name: c.principalName, upn: c.principalUpn, scopes: c.scopes.filter((s) => removedSet.has(lower(s))) }))
        .filter((c) => c.scopes.length > 0);
      return [
        {
          resourceAppId: grant.resource.appId,
          resourceName: grant.resource.displayName,
          resourceId: grant.resource.id,
          grantId: grant.grantId,
          existing: grant.scopes,
          remove: remove.map((scope) => describePermission(grant.resource.appId, "delegated", scope)),
          notGranted: entry.scopes.filter((scope) => !have.has(lower(scope))),
          remaining,
          deletesGrant: remove.length > 0 && remaining.length === 0,
          keptByOwnConsent,
        },
      ];
    });

  const appRoles = selection.appRoles.flatMap((entry) =>
    entry.values.map((value): AppRoleRemoval => {
      const held = state.appPermissions.find((p) => lower(p.resource.appId) === lower(entry.resourceAppId) && lower(p.value) === lower(value));
      let blockedReason: string | null = null;
      if (!held) blockedReason = "Not granted now: nothing to remove.";
      else if (lower(entry.resourceAppId) === MICROSOFT_GRAPH_APP_ID && !canRemoveGraphAppRoles(adminWids)) blockedReason = GRAPH_APP_ROLE_REMOVE_REASON;
      return {
        resourceAppId: entry.resourceAppId,
        resourceName: held?.resource.displayName ?? entry.resourceAppId,
        resourceId: held?.resource.id ?? "",
        permission: describePermission(entry.resourceAppId, "application", held?.value ?? value),
        appRoleId: held?.appRoleId ?? null,
        assignmentId: held?.assignmentId ?? null,
        blockedReason,
        notGranted: !held,
      };
    }),
  );

  const chosenUsers = [...new Set(selection.users.map(lower))];
  const users = chosenUsers.flatMap((id) => {
    const found = [...consentsByUser.values()].find((u) => lower(u.principalId) === id);
    return found ? [found] : [];
  });
  const usersWithoutConsent = chosenUsers.filter((id) => !users.some((u) => lower(u.principalId) === id));

  const scopeChanges = scopes.filter((s) => s.remove.length > 0);
  const roleChanges = appRoles.filter((r) => !r.blockedReason);
  const grantChanges = scopeChanges.length + roleChanges.length + users.reduce((sum, user) => sum + user.grants.length, 0);
  if (selection.block) {
    const blockedReason = canChangeServicePrincipal(adminWids) ? null : SERVICE_PRINCIPAL_ROLE_REASON;
    const block: BlockPlan = { blockedReason, disablesSignIn: sp.accountEnabled, requiresAssignment: !sp.appRoleAssignmentRequired };
    const switches = Number(block.disablesSignIn) + Number(block.requiresAssignment);
    return {
      ...empty,
      servicePrincipalId: sp.id,
      block,
      // Nobody can consent to an app whose sign-in is disabled, nor (without an assignment) to one that requires assignment.
      consentAgain: { possible: false, scopes: [], reason: `sign-in to ${sp.displayName} is disabled, so Entra refuses every sign-in and consent prompt for it.` },
      signedInUsers: tenantWideUsers(state, signIns),
      signInLogUnavailable,
      scopes,
      appRoles,
      users,
      everyoneAffected: true,
      affectedUsers: users.map((user) => ({
        name: user.name,
        upn: user.upn,
        why: `Their own consent (${user.grants.flatMap((g) => g.scopes).join(", ")}) is revoked, and they cannot sign in while the app is blocked.`,
      })),
      affectedAssignments: state.assignments.map((a) => ({ name: a.principalDisplayName, type: a.principalType })),
      appLosesOwnAccess: state.appPermissions.length > 0,
      // Blocked by the admin's role: none of it is done, so no half-blocked app.
      changeCount: blockedReason ? 0 : switches + grantChanges,
    };
  }
  return {
    ...empty,
    servicePrincipalId: sp.id,
    scopes,
    appRoles,
    users,
    usersWithoutConsent,
    everyoneAffected: scopeChanges.length > 0,
    affectedUsers: users.map((user) => ({
      name: user.name,
      upn: user.upn,
      why: `Their own consent (${user.grants.flatMap((g) => g.scopes).join(", ")}) is revoked; they are asked to consent again next time.`,
    })),
    appLosesOwnAccess: roleChanges.length > 0,
    changeCount: grantChanges,
  };
}
