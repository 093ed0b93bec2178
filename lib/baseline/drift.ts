import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type { HeldPermission, InventoryApp } from "@/lib/inventory/types";
import { baselineCovers, permissionKey, type AppBaselineRecord, type BaselinePermission, type DetectedDrift, type DriftKind } from "./types";

/**
 * Drift detection (issue "consent that stays approved", item 2): what the tenant holds for an app
 * against what the portal approved for it. Pure: the inventory scan hands in the apps it built, the
 * live check the apps it read through Graph, and both hand in the baselines; storing, notifying and
 * closing are lib/baseline/drift-store.ts's.
 *
 * The four kinds:
 * - `added`: a permission held but not covered by the baseline — granted outside the portal. One drift per
 *   permission (API, consent type, value), so each can be accepted or reverted on its own.
 * - `removed`: a tenant-wide (AllPrincipals) or application approval that is no longer held. Users' own
 *   approved consents are not followed: each user may take theirs back at any time, which is no drift.
 * - `unapproved-app`: a third-party app (not first-party Microsoft) holding consent with no baseline at all.
 *   One drift per app, naming everything it holds; accepting it adopts the app into the baselines.
 * - `publisher-unverified`: approved while Microsoft had verified the publisher, now without one.
 *
 * Users' own consent (Principal) to a scope the baseline does not cover — neither as a users' own
 * approval nor tenant-wide — is `added`, its detail naming how many users hold it: it is consent given
 * outside the portal like any other, and the revoke wizard can take it back user by user.
 */

/** What detection needs of an app: the inventory's InventoryApp, or the same read live through Graph. */
export type DriftApp = Pick<InventoryApp, "appId" | "servicePrincipalId" | "displayName" | "firstParty" | "verifiedPublisher"> & { permissions: readonly DriftHeld[] };
/** What detection reads of a held permission (the scan's HeldPermission has more: risk, ids). */
export type DriftHeld = Pick<HeldPermission, "kind" | "resourceAppId" | "resourceName" | "value" | "allUsers" | "userCount" | "userIds">;

/** Per held Principal permission: the users who consented on their own (for the revoke selection and the words). */
export type HeldBaselinePermission = BaselinePermission & { userCount?: number; userIds?: string[] };

/** An app's held permissions in the baseline's terms: tenant-wide and users' own consent to one scope are two permissions. */
export function heldAsBaseline(permissions: readonly DriftHeld[]): HeldBaselinePermission[] {
  const out: HeldBaselinePermission[] = [];
  for (const p of permissions) {
    const base = { resourceAppId: p.resourceAppId.toLowerCase(), resourceName: p.resourceName, value: p.value };
    if (p.kind === "application") out.push({ ...base, consentType: "Application" });
    else {
      if (p.allUsers) out.push({ ...base, consentType: "AllPrincipals" });
      if (p.userCount > 0) out.push({ ...base, consentType: "Principal", userCount: p.userCount, ...(p.userIds ? { userIds: [...p.userIds] } : {}) });
    }
  }
  return out;
}

export const driftKey = (kind: DriftKind, appId: string, permission?: Pick<BaselinePermission, "resourceAppId" | "consentType" | "value">) =>
  [kind, appId.toLowerCase(), ...(permission ? [permissionKey(permission)] : [])].join("|");

/** "Mail.Send" on Microsoft Graph, "full_access_as_app on Office 365 Exchange Online" elsewhere: the words of a drift. */
export function permissionWords(p: Pick<BaselinePermission, "resourceAppId" | "resourceName" | "value" | "consentType">): string {
  const api = p.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID ? "Microsoft Graph" : p.resourceName;
  const how = p.consentType === "Application" ? "application permission" : p.consentType === "AllPrincipals" ? "for all users" : "users' own consent";
  return `${p.value} on ${api} (${how})`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Strip the held-only fields: a drift stores BaselinePermission[] (what accepting it writes into the baseline). */
const asBaseline = ({ resourceAppId, resourceName, consentType, value }: HeldBaselinePermission): BaselinePermission => ({ resourceAppId, resourceName, consentType, value });

/**
 * The drifts of one app. `app` is null when the tenant holds no consent for it (or it is gone); `baseline`
 * null when the portal never approved it.
 */
export function detectAppDrift(app: DriftApp | null, baseline: AppBaselineRecord | null): DetectedDrift[] {
  const appId = (app?.appId ?? baseline?.appId ?? "").toLowerCase();
  const appName = app?.displayName ?? baseline?.displayName ?? appId;
  const servicePrincipalId = app?.servicePrincipalId ?? null;
  const held = heldAsBaseline(app?.permissions ?? []);
  const drift = (kind: DriftKind, permissions: BaselinePermission[], detail: string, permission?: BaselinePermission): DetectedDrift => ({
    key: driftKey(kind, appId, permission),
    kind,
    appId,
    appName,
    servicePrincipalId,
    permissions,
    detail,
  });

  if (!baseline) {
    if (!app || app.firstParty || held.length === 0) return [];
    const apis = new Set(held.map((p) => p.resourceAppId)).size;
    return [
      drift(
        "unapproved-app",
        held.map(asBaseline),
        `${appName} holds ${plural(held.length, "permission")} on ${plural(apis, "API")} and was never approved in the portal: adopt it into the baseline or revoke its consent.`,
      ),
    ];
  }

  const found: DetectedDrift[] = [];
  for (const p of held) {
    if (baselineCovers(baseline.permissions, p)) continue;
    const users = p.consentType === "Principal" ? ` by ${plural(p.userCount ?? 0, "user")} on their own` : "";
    const how = p.consentType === "Application" ? "granted as an application permission" : p.consentType === "AllPrincipals" ? "granted for all users" : `consented to${users}`;
    found.push(drift("added", [asBaseline(p)], `${p.value} on ${p.resourceName} was ${how} outside the portal: it is not in ${appName}'s approved baseline.`, p));
  }
  const heldKeys = new Set(held.map(permissionKey));
  for (const p of baseline.permissions) {
    if (p.consentType === "Principal" || heldKeys.has(permissionKey(p))) continue;
    const how = p.consentType === "Application" ? "application permission" : "tenant-wide consent";
    found.push(drift("removed", [p], `The approved ${how} ${p.value} on ${p.resourceName} is no longer held by ${appName}: it was removed outside the portal.`, p));
  }
  if (app && baseline.verifiedPublisher && !app.verifiedPublisher) {
    found.push(
      drift(
        "publisher-unverified",
        [],
        `${appName} was approved while Microsoft had verified its publisher (${baseline.verifiedPublisher}); it has no verified publisher now. Confirm who stands behind it before keeping its consent.`,
      ),
    );
  }
  return found;
}

/**
 * The drifts of a whole tenant: every app with consent against its baseline, and every baselined app that
 * holds nothing any more (all its tenant-wide and application approvals removed).
 */
export function detectDrift(apps: Iterable<DriftApp>, baselines: readonly AppBaselineRecord[]): DetectedDrift[] {
  const byAppId = new Map(baselines.map((b) => [b.appId.toLowerCase(), b]));
  const seen = new Set<string>();
  const found: DetectedDrift[] = [];
  for (const app of apps) {
    const appId = app.appId.toLowerCase();
    seen.add(appId);
    found.push(...detectAppDrift(app, byAppId.get(appId) ?? null));
  }
  for (const baseline of baselines) if (!seen.has(baseline.appId.toLowerCase())) found.push(...detectAppDrift(null, baseline));
  return found;
}

/**
 * Revert: the wizard selection that undoes a drift. `added` → the revoke wizard (`s` tenant-wide scopes,
 * `r` app roles, `u` the users whose own consent holds the scope); `removed` → the grant wizard (`d`
 * delegated scopes, `r` app roles); `unapproved-app` → the revoke wizard with everything the app holds.
 * `publisher-unverified` has nothing to put back: it is accepted, or the app's consent revoked from its page.
 */
export type RevertPlan =
  | { wizard: "revoke"; s: string[]; r: string[]; u: string[] }
  | { wizard: "grant"; d: string[]; r: string[] }
  | null;

export function revertSelection(drift: Pick<DetectedDrift, "kind" | "permissions">, userIds: readonly string[] = []): RevertPlan {
  const pair = (p: BaselinePermission) => `${p.resourceAppId}|${p.value}`;
  if (drift.kind === "removed") {
    return {
      wizard: "grant",
      d: drift.permissions.filter((p) => p.consentType === "AllPrincipals").map(pair),
      r: drift.permissions.filter((p) => p.consentType === "Application").map(pair),
    };
  }
  if (drift.kind === "added" || drift.kind === "unapproved-app") {
    return {
      wizard: "revoke",
      s: drift.permissions.filter((p) => p.consentType === "AllPrincipals").map(pair),
      r: drift.permissions.filter((p) => p.consentType === "Application").map(pair),
      u: drift.permissions.some((p) => p.consentType === "Principal") ? [...new Set(userIds)] : [],
    };
  }
  return null;
}
