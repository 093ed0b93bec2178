import { MICROSOFT_GRAPH_APP_ID, resourceName, type RiskLevel } from "@/lib/permissions";
import type { AppRisk, HeldPermission, InventoryApp } from "./types";

/**
 * The risk of one app's consents, as a 0–100 score with every factor in words. Pure: the scan hands in
 * what it read, the clock comes from the caller.
 *
 * How the score is made (each step can only raise it or leave it, except the named down-weights, so the
 * score is monotone in every factor — risk.test.ts checks that with random apps):
 * 1. Each permission weighs by its level (Critical 40, High 25, Medium 10, Low 3; Unrated 5, a little
 *    above Low because nobody rated it), times how far its consent reaches: an application permission or
 *    a delegated grant for all users ×1.5 (every mailbox, every user); users' own consents ×1.0 for one
 *    user up to ×1.5 at 100 users or more.
 * 2. The app's permissions add up as the heaviest one plus a quarter of the rest, capped at 60: one
 *    Critical permission matters more than many Low ones.
 * 3. Who the app is: unverified publisher of a third-party app ×1.3; Microsoft's own (first-party) app
 *    ×0.5 and this tenant's own single-tenant app ×0.8, since neither is consent phishing; an app whose
 *    sign-in is disabled ×0.5, since it cannot get tokens while it stays disabled.
 * 4. Not used: no sign-in for `unusedAfterDays` ×1.2 — standing access nobody uses is risk with no benefit.
 * 5. A path to Global Administrator (an application permission that lets the app give itself or anyone
 *    a directory role, or take over a privileged identity) adds 30: it is the whole tenant.
 * The level follows the score: 70 and up Critical, 45 High, 20 Medium, anything above 0 Low.
 */

const LEVEL_WEIGHT: Record<RiskLevel, number> = { Critical: 40, High: 25, Medium: 10, Low: 3, Unrated: 5 };
const LEVEL_ORDER: Record<RiskLevel, number> = { Critical: 4, High: 3, Medium: 2, Unrated: 1, Low: 0 };
const PERMISSIONS_CAP = 60;
const UNVERIFIED = 1.3;
const FIRST_PARTY = 0.5;
const OWN_TENANT = 0.8;
const DISABLED = 0.5;
const UNUSED = 1.2;
const GLOBAL_ADMIN_PATH = 30;
const SUMMARY_FACTORS = 4;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Microsoft Graph application permissions that give a path to Global Administrator without any signed-in
 * admin: grant itself any app role or directory role (RoleManagement, AppRoleAssignment, the PIM schedule
 * permissions), add a credential to a more privileged app (Application.ReadWrite.All), or reset the
 * authentication methods of an admin (UserAuthenticationMethod.ReadWrite.All). Delegated forms are bound
 * by the signed-in user's own role, so they are no escalation on their own.
 */
export const GLOBAL_ADMIN_PATH_PERMISSIONS = [
  "RoleManagement.ReadWrite.Directory",
  "AppRoleAssignment.ReadWrite.All",
  "Application.ReadWrite.All",
  "RoleAssignmentSchedule.ReadWrite.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
  "PrivilegedAccess.ReadWrite.AzureADGroup",
  "UserAuthenticationMethod.ReadWrite.All",
] as const;
const GLOBAL_ADMIN_PATH_SET = new Set(GLOBAL_ADMIN_PATH_PERMISSIONS.map((p) => p.toLowerCase()));

export function isGlobalAdminPath(p: Pick<HeldPermission, "kind" | "resourceAppId" | "value">): boolean {
  return p.kind === "application" && p.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID && GLOBAL_ADMIN_PATH_SET.has(p.value.toLowerCase());
}

export const compareLevels = (a: RiskLevel, b: RiskLevel) => LEVEL_ORDER[a] - LEVEL_ORDER[b];

/** "Mail.ReadWrite for all users", "Mail.Read for 3 users", "Mail.ReadWrite.All application permission"; other APIs are named. */
export function permissionInWords(p: HeldPermission): string {
  const api = p.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID ? "" : ` on ${p.resourceName || resourceName(p.resourceAppId)}`;
  if (p.kind === "application") return `${p.value}${api} as an application permission`;
  if (p.allUsers) return `${p.value}${api} for all users`;
  return `${p.value}${api} for ${p.userCount} ${p.userCount === 1 ? "user" : "users"}`;
}

/** How far one permission's consent reaches: ×1.5 for everyone, ×1.0–1.5 by the number of users who consented. */
function reach(p: HeldPermission): number {
  if (p.kind === "application" || p.allUsers) return 1.5;
  return 1 + 0.5 * Math.min(Math.max(p.userCount, 1), 100) / 100;
}

const permissionWeight = (p: HeldPermission) => LEVEL_WEIGHT[p.risk] * reach(p);

export function daysSince(iso: string, now: Date): number {
  return Math.floor((now.getTime() - new Date(iso).getTime()) / DAY_MS);
}

/** Days since the last sign-in when it is at least `unusedAfterDays`, else null (also when the log has no sign-in). */
export function unusedDays(app: Pick<InventoryApp, "lastSignIn">, ctx: { now: Date; unusedAfterDays: number }): number | null {
  if (!app.lastSignIn) return null;
  const days = daysSince(app.lastSignIn, ctx.now);
  return days >= ctx.unusedAfterDays ? days : null;
}

export function levelOfScore(score: number): RiskLevel {
  if (score >= 70) return "Critical";
  if (score >= 45) return "High";
  if (score >= 20) return "Medium";
  return "Low";
}

export function assessApp(app: InventoryApp, ctx: { now: Date; unusedAfterDays: number }): AppRisk {
  const permissions = [...app.permissions].sort((a, b) => permissionWeight(b) - permissionWeight(a) || a.value.localeCompare(b.value));
  if (permissions.length === 0) return { level: "Low", score: 0, factors: ["no permissions"], summary: "Low: no permissions" };

  const [heaviest, ...rest] = permissions.map(permissionWeight) as [number, ...number[]];
  let score = Math.min(PERMISSIONS_CAP, heaviest + 0.25 * rest.reduce((sum, w) => sum + w, 0));
  const factors: string[] = [];

  // The permissions at the app's top level, by name (at most three, then how many more).
  const topLevel = permissions[0]!.risk;
  const top = permissions.filter((p) => p.risk === topLevel);
  factors.push(...top.slice(0, 3).map(permissionInWords));
  if (top.length > 3) factors.push(`${top.length - 3} more ${topLevel} ${top.length - 3 === 1 ? "permission" : "permissions"}`);

  const paths = permissions.filter(isGlobalAdminPath);
  if (paths.length) {
    score += GLOBAL_ADMIN_PATH;
    factors.unshift(`path to Global Administrator (${paths.map((p) => p.value).join(", ")})`);
  }

  if (app.firstParty) {
    score *= FIRST_PARTY;
    factors.push("Microsoft first-party app");
  } else if (!app.multiTenant) {
    score *= OWN_TENANT;
    factors.push("this tenant's own single-tenant app");
  } else if (!app.verifiedPublisher) {
    score *= UNVERIFIED;
    factors.push("unverified publisher");
  }
  if (!app.accountEnabled) {
    score *= DISABLED;
    factors.push("sign-in disabled");
  }
  const unused = unusedDays(app, ctx);
  if (unused !== null) {
    score *= UNUSED;
    factors.push(`not used for ${unused} days`);
  }

  score = Math.min(100, Math.round(score));
  const level = levelOfScore(score);
  return { level, score, factors, summary: `${level}: ${factors.slice(0, SUMMARY_FACTORS).join("; ")}` };
}
