import type { AppState, ServicePrincipalState } from "../app-state";
import { canChangeServicePrincipal, SERVICE_PRINCIPAL_ROLE_REASON } from "../revoke/plan";

/**
 * What "restrict and assign" (seed 003) would change, computed from the tenant's state before anything
 * is written: require user assignment, assign or unassign users and groups, disable or enable sign-in,
 * hide or show the app — and who would be locked out. Pure.
 */

export const DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000";
export const HIDE_APP_TAG = "HideApp";

export type PrincipalType = "User" | "Group";
export type DirectoryPrincipal = { type: PrincipalType; id: string; displayName: string; upn: string | null };

export type AccessSelection = {
  assignmentRequired: "keep" | "on" | "off";
  signIn: "keep" | "on" | "off";
  visibility: "keep" | "show" | "hide";
  assign: { type: PrincipalType; id: string }[];
  /** Assignment ids (appRoleAssignedTo) to remove. */
  unassign: string[];
  /** The app role to assign with, when the app defines its own; otherwise Default Access. */
  appRoleId: string | null;
};

export type FlagChange = { from: boolean; to: boolean; changes: boolean };

export type AccessPlan = {
  servicePrincipalId: string | null;
  /** Why changes to the service principal itself (the three switches) cannot be made with this admin's role. */
  servicePrincipalBlockedReason: string | null;
  assignmentRequired: FlagChange;
  signInEnabled: FlagChange;
  hidden: FlagChange;
  /** Every existing tag, with HideApp added or removed: PATCH replaces the whole list. */
  tagsAfter: string[];
  assign: { principal: DirectoryPrincipal; appRoleId: string; appRoleName: string; alreadyAssigned: boolean }[];
  unassign: { assignmentId: string; name: string; type: string; principalId: string }[];
  /** Chosen principals that are not in the directory, chosen assignments that do not exist, or a role the app does not define. */
  unknown: string[];
  /** Set when assignment will be required and the change (turning it on, or unassigning) shuts people out. */
  lockOut: {
    /** Nobody will be assigned at all: every user of the tenant loses the app. */
    everyone: boolean;
    /** Users with their own consent who are not assigned, directly or through a group. */
    users: { name: string; upn: string }[];
    /** Users who will be unassigned (directly). */
    unassignedUsers: string[];
    /** The tenant-wide grant covers users who are not assigned: they lose the app too. */
    tenantWideUsers: boolean;
  } | null;
  /** Sign-in is being disabled: nobody, assigned or not, can sign in. */
  disablesEveryone: boolean;
  changeCount: number;
};

export function planAccess(input: {
  selection: AccessSelection;
  state: AppState;
  /** The chosen principals to assign, as read from the directory (null when not found). */
  principals: Map<string, DirectoryPrincipal | null>;
  /** Transitive user members of the groups that will be assigned, by group id. */
  groupMembers: Map<string, string[]>;
  /** The app's own app roles (empty: Default Access is used). */
  appRoles: { id: string; value: string }[];
  adminWids: readonly string[];
}): AccessPlan {
  const { selection, state, principals, groupMembers, appRoles, adminWids } = input;
  const sp = state.servicePrincipal;
  const flag = (from: boolean, choice: "keep" | "on" | "off"): FlagChange => {
    const to = choice === "keep" ? from : choice === "on";
    return { from, to, changes: to !== from };
  };
  const unknown: string[] = [];
  if (!sp) {
    const off = { from: false, to: false, changes: false };
    return {
      servicePrincipalId: null,
      servicePrincipalBlockedReason: null,
      assignmentRequired: off,
      signInEnabled: off,
      hidden: off,
      tagsAfter: [],
      assign: [],
      unassign: [],
      unknown,
      lockOut: null,
      disablesEveryone: false,
      changeCount: 0,
    };
  }

  const servicePrincipalBlockedReason = canChangeServicePrincipal(adminWids) ? null : SERVICE_PRINCIPAL_ROLE_REASON;
  const assignmentRequired = flag(sp.appRoleAssignmentRequired, selection.assignmentRequired);
  const signInEnabled = flag(sp.accountEnabled, selection.signIn);
  const isHidden = sp.tags.includes(HIDE_APP_TAG);
  const hidden = flag(isHidden, selection.visibility === "keep" ? "keep" : selection.visibility === "hide" ? "on" : "off");
  const tagsAfter = hidden.to ? (isHidden ? sp.tags : [...sp.tags, HIDE_APP_TAG]) : sp.tags.filter((tag) => tag !== HIDE_APP_TAG);

  let role: { id: string; value: string } = { id: DEFAULT_ACCESS_ROLE_ID, value: "Default Access" };
  if (appRoles.length > 0) {
    const chosen = selection.appRoleId ? appRoles.find((r) => r.id === selection.appRoleId) : appRoles[0];
    if (!chosen) unknown.push(selection.appRoleId ?? "");
    role = chosen ?? appRoles[0]!;
  } else if (selection.appRoleId && selection.appRoleId !== DEFAULT_ACCESS_ROLE_ID) {
    unknown.push(selection.appRoleId);
  }

  const assign = [...new Map(selection.assign.map((p) => [p.id, p])).values()].flatMap((chosen) => {
    const principal = principals.get(chosen.id);
    if (!principal || principal.type !== chosen.type) {
      unknown.push(`${chosen.type}|${chosen.id}`);
      return [];
    }
    // Any assignment already lets them in (the app state does not carry which role).
    const alreadyAssigned = state.assignments.some((a) => a.principalId === principal.id);
    return [{ principal, appRoleId: role.id, appRoleName: role.value, alreadyAssigned }];
  });

  const unassign = [...new Set(selection.unassign)].flatMap((id) => {
    const found = state.assignments.find((a) => a.assignmentId === id);
    if (!found) {
      unknown.push(id);
      return [];
    }
    return [{ assignmentId: found.assignmentId, name: found.principalDisplayName, type: found.principalType, principalId: found.principalId }];
  });

  // Who may still sign in once assignment is required: assigned users, and members of assigned groups.
  const removed = new Set(unassign.map((u) => u.assignmentId));
  const after = [
    ...state.assignments.filter((a) => !removed.has(a.assignmentId)).map((a) => ({ type: a.principalType, id: a.principalId })),
    ...assign.filter((a) => !a.alreadyAssigned).map((a) => ({ type: a.principal.type as string, id: a.principal.id })),
  ];
  const covered = new Set<string>();
  for (const entry of after) {
    if (entry.type === "User") covered.add(entry.id);
    if (entry.type === "Group") for (const member of groupMembers.get(entry.id) ?? []) covered.add(member);
  }
  let lockOut: AccessPlan["lockOut"] = null;
  if (assignmentRequired.to && (assignmentRequired.changes || unassign.length > 0)) {
    const consenting = [...new Map(state.userConsents.map((c) => [c.principalId, { id: c.principalId, name: c.principalName, upn: c.principalUpn }])).values()];
    const users = consenting.filter((u) => !covered.has(u.id)).map(({ name, upn }) => ({ name, upn }));
    const unassignedUsers = unassign.filter((u) => u.type === "User" && !covered.has(u.principalId)).map((u) => u.name);
    const everyone = after.length === 0;
    const tenantWideUsers = state.tenantWide.length > 0;
    if (everyone || users.length > 0 || unassignedUsers.length > 0 || tenantWideUsers) lockOut = { everyone, users, unassignedUsers, tenantWideUsers };
  }

  const spChanges = servicePrincipalBlockedReason ? 0 : [assignmentRequired, signInEnabled, hidden].filter((f) => f.changes).length;
  return {
    servicePrincipalId: sp.id,
    servicePrincipalBlockedReason,
    assignmentRequired,
    signInEnabled,
    hidden,
    tagsAfter,
    assign,
    unassign,
    unknown,
    lockOut,
    disablesEveryone: signInEnabled.changes && !signInEnabled.to,
    changeCount: spChanges + assign.filter((a) => !a.alreadyAssigned).length + unassign.length,
  };
}

/** The PATCH body that makes `key` what is wanted, from the service principal as it is now; null when it already is. */
export function patchFor(current: Pick<ServicePrincipalState, "appRoleAssignmentRequired" | "accountEnabled" | "tags">, key: "appRoleAssignmentRequired" | "accountEnabled" | "tags", wanted: boolean): Record<string, unknown> | null {
  if (key === "appRoleAssignmentRequired") return current.appRoleAssignmentRequired === wanted ? null : { appRoleAssignmentRequired: wanted };
  if (key === "accountEnabled") return current.accountEnabled === wanted ? null : { accountEnabled: wanted };
  const hidden = current.tags.includes(HIDE_APP_TAG);
  if (hidden === wanted) return null;
  // tags is replaced as a whole: send every existing tag, plus or minus HideApp.
  return { tags: wanted ? [...current.tags, HIDE_APP_TAG] : current.tags.filter((tag) => tag !== HIDE_APP_TAG) };
}
