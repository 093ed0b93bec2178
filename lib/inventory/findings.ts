import { MICROSOFT_GRAPH_APP_ID, type RiskLevel } from "@/lib/permissions";
import { assessApp, compareLevels, daysSince, permissionInWords, unusedDays } from "./risk";
import type { Finding, FindingKind, HeldPermission, InventoryApp } from "./types";

/**
 * What the inventory concludes, one finding per app and permission, each keyed so the same finding can be
 * followed from scan to scan, and each carrying the revoke wizard's selection for the permissions it is
 * about. Pure: the scan decides which grants were made outside the portal and hands their ids in.
 */

type Severity = Finding["severity"];
type Context = {
  now: Date;
  unusedAfterDays: number;
  /**
   * Consent made outside the portal since the last scan: ids of oauth2PermissionGrants, appRoleAssignments
   * or service principals (an app is concerned when its own id or one of its grant or assignment ids is in it).
   */
  grantedOutsidePortal: Set<string>;
};

/** Mail and files: what consent phishing is after. Scopes limited by design (app folder, selected sites) are left out. */
const MAIL_OR_FILES = /^(mail\.|files\.|sites\.|allsites\.|myfiles\.|ews\.accessasuser\.all$|full_access_as_app$|imap\.accessasuser\.all$|pop\.accessasuser\.all$|smtp\.send$)/i;
const LIMITED_BY_DESIGN = /^(files\.readwrite\.appfolder|files\.selectedoperations\.selected|sites\.selected)$/i;
export function isMailOrFiles(value: string): boolean {
  return MAIL_OR_FILES.test(value) && !LIMITED_BY_DESIGN.test(value);
}

const isHigh = (p: HeldPermission) => p.risk === "High" || p.risk === "Critical";
const atLeast = (level: RiskLevel, floor: Severity): Severity => (compareLevels(level, floor) >= 0 && level !== "Unrated" ? level : floor);
const permissionKey = (p: HeldPermission) => `${p.resourceAppId.toLowerCase()}|${p.kind}|${p.value.toLowerCase()}`;

/** The revoke wizard's selection for these permissions: tenant-wide scopes, app roles, and the users who consented on their own. */
export function revokeSelection(permissions: readonly HeldPermission[], { users = true } = {}): Finding["revoke"] {
  const s = new Set<string>();
  const r = new Set<string>();
  const u = new Set<string>();
  for (const p of permissions) {
    if (p.kind === "application") r.add(`${p.resourceAppId}|${p.value}`);
    else if (p.allUsers) s.add(`${p.resourceAppId}|${p.value}`);
    if (users && p.kind === "delegated") for (const id of p.userIds ?? []) u.add(id);
  }
  return { s: [...s], r: [...r], u: [...u] };
}

/** "Mail.ReadWrite" for Microsoft Graph, "full_access_as_app (Office 365 Exchange Online)" for other APIs. */
const named = (p: HeldPermission) => (p.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID ? p.value : `${p.value} (${p.resourceName})`);

/**
 * A finding as the scan stores it: what was found, about which app and (for the per-permission kinds)
 * which permission, as its key says. Its sentences and revoke selection are not stored: they follow from
 * the kind, the app's row and the permission (findingWords), so the scan writes ~100 bytes a finding
 * instead of ~340 of text and a revoke selection that can hold a hundred user ids.
 */
export type StoredFinding = Omit<Finding, "title" | "detail" | "revoke">;

/** What findingWords needs of the app: its InventoryApp row (riskSummary as the scan assessed it). */
export type FindingApp = Pick<InventoryApp, "displayName" | "publisherName" | "permissions" | "lastSignIn"> & { riskSummary: string };

/** The finding's key: kind, app and, for the per-permission kinds, the permission (API appId, kind, value). */
export function findingKey(kind: FindingKind, servicePrincipalId: string, permission?: HeldPermission): string {
  return [kind, servicePrincipalId.toLowerCase(), ...(permission ? [permissionKey(permission)] : [])].join("|");
}

/** The permission a per-permission finding's key names, among the app's (the first, as the scan kept the first). */
export function permissionOfKey(key: string, permissions: readonly HeldPermission[]): HeldPermission | undefined {
  const named = key.split("|").slice(2).join("|");
  return named ? permissions.find((p) => permissionKey(p) === named) : undefined;
}

const PER_PERMISSION: ReadonlySet<FindingKind> = new Set(["high-risk-unverified-publisher", "tenant-wide-mail-or-files", "user-consent-high-risk"]);

function usersPhrase(p: HeldPermission): string {
  const kept = p.userIds?.length ?? 0;
  if (kept === 0) return "Open the app to choose whose consent to revoke.";
  if (kept < p.userCount) return `The revoke selection holds the first ${kept} of the ${p.userCount} users; revoke again for the rest.`;
  return "The revoke selection holds each of these users' own consent to this app (all its scopes).";
}

/**
 * A finding's sentences and revoke selection, from its kind, its app and its permission: what the pages
 * and exports show, derived when read (the scan stores only kind, severity and key). `now` is when the
 * scan analysed the tenant (the unused days count from it). Null when a per-permission finding's
 * permission is not among the app's (a row that does not belong to this app).
 */
export function findingWords(kind: FindingKind, app: FindingApp, permission: HeldPermission | undefined, now: Date): Pick<Finding, "title" | "detail" | "revoke"> | null {
  if (PER_PERMISSION.has(kind) && !permission) return null;
  const p = permission as HeldPermission;
  switch (kind) {
    case "high-risk-unverified-publisher":
      return {
        title: `${app.displayName}, from a publisher Microsoft has not verified, holds ${permissionInWords(p)} (${p.risk}).`,
        detail: `Nobody has confirmed who stands behind ${app.publisherName ? `“${app.publisherName}”` : "this app"}, and ${named(p)} is rated ${p.risk}. Confirm the vendor and that the app needs it; otherwise revoke it.` +
          (p.kind === "delegated" && !p.allUsers && p.userCount > 0 ? ` ${usersPhrase(p)}` : ""),
        revoke: revokeSelection([p]),
      };
    case "tenant-wide-mail-or-files": {
      const reach = p.kind === "application" ? "every mailbox or file it names, without a signed-in user" : "the mail or files of everyone who signs in to it";
      return {
        title: `${app.displayName} holds ${permissionInWords(p)}, granted for the whole organization.`,
        detail: `An administrator's consent lets this app reach ${reach}. Check that the app still needs ${named(p)} for everyone; revoke the tenant-wide consent if not, and let the users who need it ask for it.`,
        revoke: revokeSelection([p], { users: false }),
      };
    }
    case "user-consent-high-risk":
      return {
        title: `${p.userCount} ${p.userCount === 1 ? "user" : "users"} consented on their own to ${named(p)} (${p.risk}) for ${app.displayName}.`,
        detail: `Users should not be able to consent to a ${p.risk} permission: check the user consent setting and which permissions are classified low impact, then revoke these consents unless the app is approved. ${usersPhrase(p)}`,
        revoke: { s: [], r: [], u: [...new Set(p.userIds ?? [])] },
      };
    case "unused": {
      const days = app.lastSignIn ? daysSince(app.lastSignIn, now) : 0;
      const count = app.permissions.length;
      return {
        title: `${app.displayName} has not signed in for ${days} days but keeps ${count} ${count === 1 ? "permission" : "permissions"}.`,
        detail: `Access nobody uses is risk with no benefit. Ask its owner whether the app is still needed; revoke its permissions, or delete the service principal if it is gone for good.`,
        revoke: revokeSelection(app.permissions),
      };
    }
    case "granted-outside-portal":
      return {
        title: `Consent to ${app.displayName} was granted outside the portal since the last scan.`,
        detail: `It did not go through the portal's review, so no justification is on record. Check the new consent against the app's approval (${app.riskSummary}); revoke what nobody approved.`,
        revoke: revokeSelection(app.permissions),
      };
  }
}

/** What the scan concludes about one app: each finding's kind, severity and (per-permission kinds) permission. */
function detect(app: InventoryApp, ctx: Context): { kind: FindingKind; severity: Severity; permission?: HeldPermission }[] {
  const found: { kind: FindingKind; severity: Severity; permission?: HeldPermission }[] = [];
  const thirdPartyUnverified = !app.firstParty && app.multiTenant && !app.verifiedPublisher;

  for (const p of app.permissions) {
    if (thirdPartyUnverified && isHigh(p)) found.push({ kind: "high-risk-unverified-publisher", severity: atLeast(p.risk, "High"), permission: p });
    if (isMailOrFiles(p.value) && (p.kind === "application" || p.allUsers)) found.push({ kind: "tenant-wide-mail-or-files", severity: atLeast(p.risk, "Medium"), permission: p });
    if (p.kind === "delegated" && p.userCount > 0 && isHigh(p)) found.push({ kind: "user-consent-high-risk", severity: atLeast(p.risk, "High"), permission: p });
  }

  const unused = app.permissions.length ? unusedDays(app, ctx) !== null : false;
  const outside = [app.servicePrincipalId, ...app.grantIds, ...app.assignmentIds].some((id) => ctx.grantedOutsidePortal.has(id));
  if (unused || outside) {
    const level = atLeast(assessApp(app, ctx).level, "Low");
    if (unused) found.push({ kind: "unused", severity: level });
    if (outside) found.push({ kind: "granted-outside-portal", severity: level });
  }
  return found;
}

/** The findings as the scan stores them (no sentences, no revoke selection: findingWords derives those when read). */
export function storedFindingsFor(apps: readonly InventoryApp[], ctx: Context): StoredFinding[] {
  return apps.flatMap((app) =>
    detect(app, ctx).map(({ kind, severity, permission }) => ({
      key: findingKey(kind, app.servicePrincipalId, permission), kind, severity, servicePrincipalId: app.servicePrincipalId, appId: app.appId, appName: app.displayName,
    })),
  );
}

const SEVERITY_ORDER: Record<Severity, number> = { Critical: 0, High: 1, Medium: 2, Low: 3 };

/** Every finding of the inventory, the most severe first (then by app and key, so the order is stable). */
export function findingsFor(apps: InventoryApp[], ctx: Context): Finding[] {
  return apps
    .flatMap((app) => {
      const words = { ...app, riskSummary: assessApp(app, ctx).summary };
      return detect(app, ctx).map(({ kind, severity, permission }): Finding => ({
        key: findingKey(kind, app.servicePrincipalId, permission), kind, severity, servicePrincipalId: app.servicePrincipalId, appId: app.appId, appName: app.displayName,
        ...(findingWords(kind, words, permission, ctx.now) as Pick<Finding, "title" | "detail" | "revoke">),
      }));
    })
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.appName.localeCompare(b.appName) || a.key.localeCompare(b.key));
}
