import { permissionKey, type BaselinePermission } from "./types";

/**
 * How a grant, a revoke or an adoption changes an app's approved baseline. Pure: the callers read the
 * tenant back after their steps and pass what it holds, so the baseline only ever records what the
 * tenant really grants — a step that failed adds nothing, and a removal that did not happen stays approved.
 */

/** The consent the tenant holds for one app, in the shape of app-state's read (only what the baseline needs). */
export type HeldConsent = {
  tenantWide: { resource: { appId: string; displayName: string }; scopes: string[] }[];
  userConsents: { resource: { appId: string; displayName: string }; scopes: string[] }[];
  appPermissions: { resource: { appId: string; displayName: string }; value: string }[];
};

/** Everything the app holds now, as baseline permissions (users' own consent once per scope, whoever holds it). */
export function heldPermissions(held: HeldConsent): BaselinePermission[] {
  const all: BaselinePermission[] = [
    ...held.tenantWide.flatMap((g) => g.scopes.map((value) => ({ resourceAppId: g.resource.appId.toLowerCase(), resourceName: g.resource.displayName, consentType: "AllPrincipals" as const, value }))),
    ...held.userConsents.flatMap((g) => g.scopes.map((value) => ({ resourceAppId: g.resource.appId.toLowerCase(), resourceName: g.resource.displayName, consentType: "Principal" as const, value }))),
    ...held.appPermissions.map((p) => ({ resourceAppId: p.resource.appId.toLowerCase(), resourceName: p.resource.displayName, consentType: "Application" as const, value: p.value })),
  ];
  return sortPermissions(unique(all));
}

/** Of the permissions an admin chose, those the tenant holds: what a grant may add to the baseline. */
export function heldOfChosen(chosen: readonly BaselinePermission[], held: readonly BaselinePermission[]): { approved: BaselinePermission[]; notHeld: BaselinePermission[] } {
  const heldKeys = new Set(held.map(permissionKey));
  const approved: BaselinePermission[] = [];
  const notHeld: BaselinePermission[] = [];
  for (const p of unique(chosen)) (heldKeys.has(permissionKey(p)) ? approved : notHeld).push(p);
  return { approved, notHeld };
}

/** The baseline is the whole approved set: a grant adds to it and never drops what was approved before. */
export function mergeApproved(existing: readonly BaselinePermission[], approved: readonly BaselinePermission[]): BaselinePermission[] {
  return sortPermissions(unique([...existing, ...approved]));
}

/**
 * After a revoke: the approved permissions the revoke touched and the tenant no longer holds are dropped.
 * One still held (the step failed, or another user still holds a scope by their own consent) stays approved.
 */
export function shrinkApproved(
  existing: readonly BaselinePermission[],
  touched: readonly Pick<BaselinePermission, "resourceAppId" | "consentType" | "value">[],
  held: readonly BaselinePermission[],
): { remaining: BaselinePermission[]; removed: BaselinePermission[] } {
  const touchedKeys = new Set(touched.map(permissionKey));
  const heldKeys = new Set(held.map(permissionKey));
  const remaining: BaselinePermission[] = [];
  const removed: BaselinePermission[] = [];
  for (const p of existing) (touchedKeys.has(permissionKey(p)) && !heldKeys.has(permissionKey(p)) ? removed : remaining).push(p);
  return { remaining: sortPermissions(remaining), removed };
}

/** Whether two approved sets are the same (order and the API's display name do not count). */
export function sameApproved(a: readonly BaselinePermission[], b: readonly BaselinePermission[]): boolean {
  const left = new Set(a.map(permissionKey));
  const right = new Set(b.map(permissionKey));
  return left.size === right.size && [...left].every((key) => right.has(key));
}

export type PermissionGroup = { resourceAppId: string; resourceName: string; consentType: BaselinePermission["consentType"]; values: string[] };

/** Per API and consent type, for reading: "Microsoft Graph · delegated, all users: Mail.Read, User.Read". */
export function groupPermissions(permissions: readonly BaselinePermission[]): PermissionGroup[] {
  const groups = new Map<string, PermissionGroup>();
  for (const p of sortPermissions(unique(permissions))) {
    const key = `${p.resourceAppId.toLowerCase()}|${p.consentType}`;
    const group = groups.get(key) ?? { resourceAppId: p.resourceAppId, resourceName: p.resourceName, consentType: p.consentType, values: [] };
    group.values.push(p.value);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export const CONSENT_TYPE_WORDS: Record<BaselinePermission["consentType"], string> = {
  AllPrincipals: "Delegated, for all users",
  Principal: "Delegated, users' own consent",
  Application: "Application permissions",
};

/** "Mail.Read (Microsoft Graph, delegated for all users)": one permission in words. */
export function describeBaselinePermission(p: BaselinePermission): string {
  const how = p.consentType === "Application" ? "application" : p.consentType === "AllPrincipals" ? "delegated for all users" : "delegated, users' own consent";
  return `${p.value} (${p.resourceName}, ${how})`;
}

function unique(permissions: readonly BaselinePermission[]): BaselinePermission[] {
  const seen = new Map<string, BaselinePermission>();
  for (const p of permissions) if (!seen.has(permissionKey(p))) seen.set(permissionKey(p), p);
  return [...seen.values()];
}

function sortPermissions(permissions: BaselinePermission[]): BaselinePermission[] {
  const order = { AllPrincipals: 0, Principal: 1, Application: 2 } as const;
  return [...permissions].sort((a, b) => a.resourceName.localeCompare(b.resourceName) || order[a.consentType] - order[b.consentType] || a.value.localeCompare(b.value));
}
