import { MICROSOFT_GRAPH_APP_ID, type RiskLevel } from "@/lib/permissions";
import { assessApp, compareLevels, permissionInWords, unusedDays } from "./risk";
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

function finding(app: InventoryApp, kind: FindingKind, severity: Severity, title: string, detail: string, revoke: Finding["revoke"], permission?: HeldPermission): Finding {
  const key = [kind, app.servicePrincipalId.toLowerCase(), ...(permission ? [permissionKey(permission)] : [])].join("|");
  return { key, kind, severity, servicePrincipalId: app.servicePrincipalId, appId: app.appId, appName: app.displayName, title, detail, revoke };
}

function usersPhrase(p: HeldPermission): string {
  const kept = p.userIds?.length ?? 0;
  if (kept === 0) return "Open the app to choose whose consent to revoke.";
  if (kept < p.userCount) return `The revoke selection holds the first ${kept} of the ${p.userCount} users; revoke again for the rest.`;
  return "The revoke selection holds each of these users' own consent to this app (all its scopes).";
}

function appFindings(app: InventoryApp, ctx: Context): Finding[] {
  const found: Finding[] = [];
  const thirdPartyUnverified = !app.firstParty && app.multiTenant && !app.verifiedPublisher;

  for (const p of app.permissions) {
    if (thirdPartyUnverified && isHigh(p)) {
      found.push(
        finding(
          app,
          "high-risk-unverified-publisher",
          atLeast(p.risk, "High"),
          `${app.displayName}, from a publisher Microsoft has not verified, holds ${permissionInWords(p)} (${p.risk}).`,
          `Nobody has confirmed who stands behind ${app.publisherName ? `“${app.publisherName}”` : "this app"}, and ${named(p)} is rated ${p.risk}. Confirm the vendor and that the app needs it; otherwise revoke it.` +
            (p.kind === "delegated" && !p.allUsers && p.userCount > 0 ? ` ${usersPhrase(p)}` : ""),
          revokeSelection([p]),
          p,
        ),
      );
    }
    if (isMailOrFiles(p.value) && (p.kind === "application" || p.allUsers)) {
      const reach = p.kind === "application" ? "every mailbox or file it names, without a signed-in user" : "the mail or files of everyone who signs in to it";
      found.push(
        finding(
          app,
          "tenant-wide-mail-or-files",
          atLeast(p.risk, "Medium"),
          `${app.displayName} holds ${permissionInWords(p)}, granted for the whole organization.`,
          `An administrator's consent lets this app reach ${reach}. Check that the app still needs ${named(p)} for everyone; revoke the tenant-wide consent if not, and let the users who need it ask for it.`,
          revokeSelection([p], { users: false }),
          p,
        ),
      );
    }
    if (p.kind === "delegated" && p.userCount > 0 && isHigh(p)) {
      found.push(
        finding(
          app,
          "user-consent-high-risk",
          atLeast(p.risk, "High"),
          `${p.userCount} ${p.userCount === 1 ? "user" : "users"} consented on their own to ${named(p)} (${p.risk}) for ${app.displayName}.`,
          `Users should not be able to consent to a ${p.risk} permission: check the user consent setting and which permissions are classified low impact, then revoke these consents unless the app is approved. ${usersPhrase(p)}`,
          { s: [], r: [], u: [...new Set(p.userIds ?? [])] },
          p,
        ),
      );
    }
  }

  const days = app.permissions.length ? unusedDays(app, ctx) : null;
  if (days !== null) {
    const risk = assessApp(app, ctx);
    found.push(
      finding(
        app,
        "unused",
        atLeast(risk.level, "Low"),
        `${app.displayName} has not signed in for ${days} days but keeps ${app.permissions.length} ${app.permissions.length === 1 ? "permission" : "permissions"}.`,
        `Access nobody uses is risk with no benefit. Ask its owner whether the app is still needed; revoke its permissions, or delete the service principal if it is gone for good.`,
        revokeSelection(app.permissions),
      ),
    );
  }

  const ids = [app.servicePrincipalId, ...app.grantIds, ...app.assignmentIds];
  if (ids.some((id) => ctx.grantedOutsidePortal.has(id))) {
    const risk = assessApp(app, ctx);
    found.push(
      finding(
        app,
        "granted-outside-portal",
        atLeast(risk.level, "Low"),
        `Consent to ${app.displayName} was granted outside the portal since the last scan.`,
        `It did not go through the portal's review, so no justification is on record. Check the new consent against the app's approval (${risk.summary}); revoke what nobody approved.`,
        revokeSelection(app.permissions),
      ),
    );
  }
  return found;
}

const SEVERITY_ORDER: Record<Severity, number> = { Critical: 0, High: 1, Medium: 2, Low: 3 };

/** Every finding of the inventory, the most severe first (then by app and key, so the order is stable). */
export function findingsFor(apps: InventoryApp[], ctx: Context): Finding[] {
  return apps
    .flatMap((app) => appFindings(app, ctx))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.appName.localeCompare(b.appName) || a.key.localeCompare(b.key));
}
