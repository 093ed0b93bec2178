import { MICROSOFT_GRAPH_APP_ID, riskOf, type RiskLevel } from "@/lib/permissions";

/**
 * Low-impact permission classifications of Microsoft Graph's delegated permissions: what to add and
 * remove, and what Entra would refuse (permissions that require admin consent), before any call.
 */

/** The permissions Okta's Office 365 Mail connector asks for (seed 000, Option 3). */
export const OKTA_OFFICE365_MAIL_SET = ["Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "offline_access"] as const;

export type Classification = { id: string; permissionId: string; permissionName: string | null; classification: string };
/** One of Microsoft Graph's delegated permissions as its service principal publishes it. */
export type DelegatedScope = { id: string; value: string; type: string };

export type ClassificationPlan = {
  toAdd: { permissionId: string; permissionName: string }[];
  toRemove: { id: string; permissionId: string; permissionName: string }[];
  refused: { permission: string; reason: string }[];
  /** Asked for but already as wanted: nothing to do. */
  unchanged: { permission: string; reason: string }[];
  changed: boolean;
  beforeWords: string[];
  afterWords: string[];
  /**
   * Permissions being classified low impact that the portal rates High or Critical risk: every user
   * could then grant them to any verified publisher's app. Applying needs an explicit acknowledgment.
   */
  highRisk: { permissionName: string; risk: RiskLevel }[];
};

/** The acknowledgment the Confirm step asks for when the plan classifies a high-risk permission. */
export const HIGH_RISK_ACK = "high-risk";

export function highRiskAckRefusal(plan: Pick<ClassificationPlan, "highRisk">): string {
  return `Classifying ${plan.highRisk.map((h) => h.permissionName).join(", ")} as low impact lets every user grant ${plan.highRisk.length === 1 ? "it" : "them"} to every app from a verified publisher. Tick the acknowledgment to go ahead.`;
}

/** How far a classification reaches under the tenant's user consent setting (`permissionGrantPoliciesAssigned`). */
export type ClassificationReach = "now" | "all-apps" | "off" | "custom";

export function classificationReach(userConsentPolicies: readonly string[]): ClassificationReach {
  const self = userConsentPolicies.map((p) => p.toLowerCase()).filter((p) => p.startsWith("managepermissiongrantsforself."));
  if (self.some((p) => p.endsWith(".microsoft-user-default-low") || p.endsWith(".microsoft-user-default-recommended"))) return "now";
  if (self.some((p) => p.endsWith(".microsoft-user-default-legacy"))) return "all-apps";
  return self.length === 0 ? "off" : "custom";
}

/** A catalog app and whether it is in the tenant: what the warning lists. */
export type KnownApp = { appId: string; displayName: string; publisher: string | null; verifiedPublisher: boolean; inTenant: boolean; scopes: string[] };

/**
 * The known apps that ask for any of `permissions` (Microsoft Graph delegated), each with the ones it
 * asks for: the apps users could consent to by themselves once these are low impact. Verified publishers' apps first.
 */
export function appsAskingFor(
  permissions: readonly string[],
  apps: readonly { appId: string; displayName: string; publisher: string | null; verifiedPublisher: boolean; permissions: { resourceAppId: string; scopes: string[] }[] }[],
  inTenant: ReadonlySet<string>,
): KnownApp[] {
  const wanted = new Set(permissions.map((p) => p.toLowerCase()));
  return apps
    .map((app) => ({
      appId: app.appId,
      displayName: app.displayName,
      publisher: app.publisher,
      verifiedPublisher: app.verifiedPublisher,
      inTenant: inTenant.has(app.appId.toLowerCase()),
      scopes: app.permissions.filter((api) => api.resourceAppId.toLowerCase() === MICROSOFT_GRAPH_APP_ID).flatMap((api) => api.scopes.filter((s) => wanted.has(s.toLowerCase()))),
    }))
    .filter((app) => app.scopes.length > 0)
    .sort((a, b) => Number(b.verifiedPublisher) - Number(a.verifiedPublisher) || Number(b.inTenant) - Number(a.inTenant) || a.displayName.localeCompare(b.displayName));
}

/** Graph's own words when a permission that requires admin consent is classified. */
export function adminConsentRefusal(permission: string): string {
  return `Permission '${permission}' requires admin consent and cannot be classified. Only delegated permissions that do not require admin consent can be classified.`;
}

function nameOf(classification: Classification, scopes: readonly DelegatedScope[]): string {
  return classification.permissionName ?? scopes.find((scope) => scope.id === classification.permissionId)?.value ?? classification.permissionId;
}

/** The names of the permissions classified today, sorted, as the Choose step and the policy hub list them. */
export function classifiedNames(current: readonly Classification[], scopes: readonly DelegatedScope[]): string[] {
  return current.map((c) => nameOf(c, scopes)).sort((a, b) => a.localeCompare(b));
}

export function classificationsInWords(names: readonly string[]): string[] {
  if (names.length === 0) return ["No Microsoft Graph permission is classified low impact: with the recommended user consent setting, users can consent to nothing."];
  return [`Classified low impact (${names.length}): ${[...names].sort((a, b) => a.localeCompare(b)).join(", ")}.`];
}

export function planClassifications(
  current: readonly Classification[],
  scopes: readonly DelegatedScope[],
  wanted: { add: readonly string[]; remove: readonly string[] },
): ClassificationPlan {
  const byValue = new Map(scopes.map((scope) => [scope.value.toLowerCase(), scope]));
  const lowByPermissionId = new Map(current.filter((c) => c.classification === "low").map((c) => [c.permissionId.toLowerCase(), c]));
  const plan: ClassificationPlan = { toAdd: [], toRemove: [], refused: [], unchanged: [], changed: false, beforeWords: [], afterWords: [], highRisk: [] };
  const seen = new Set<string>();

  for (const name of wanted.add) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const scope = byValue.get(key);
    if (!scope) plan.refused.push({ permission: name, reason: `'${name}' is not a delegated permission of Microsoft Graph.` });
    else if (scope.type !== "User") plan.refused.push({ permission: scope.value, reason: adminConsentRefusal(scope.value) });
    else if (lowByPermissionId.has(scope.id.toLowerCase())) plan.unchanged.push({ permission: scope.value, reason: "already classified low impact" });
    else plan.toAdd.push({ permissionId: scope.id, permissionName: scope.value });
  }
  for (const name of wanted.remove) {
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const existing = current.find((c) => nameOf(c, scopes).toLowerCase() === key);
    if (existing) plan.toRemove.push({ id: existing.id, permissionId: existing.permissionId, permissionName: nameOf(existing, scopes) });
    else plan.unchanged.push({ permission: name, reason: "not classified, nothing to remove" });
  }

  const before = current.filter((c) => c.classification === "low").map((c) => nameOf(c, scopes));
  const removed = new Set(plan.toRemove.map((r) => r.id));
  const after = [
    ...current.filter((c) => c.classification === "low" && !removed.has(c.id)).map((c) => nameOf(c, scopes)),
    ...plan.toAdd.map((a) => a.permissionName),
  ];
  plan.changed = plan.toAdd.length > 0 || plan.toRemove.length > 0;
  plan.highRisk = plan.toAdd
    .map((a) => ({ permissionName: a.permissionName, risk: riskOf(MICROSOFT_GRAPH_APP_ID, "delegated", a.permissionName) }))
    .filter((a) => a.risk === "High" || a.risk === "Critical");
  plan.beforeWords = classificationsInWords(before);
  plan.afterWords = classificationsInWords(after);
  return plan;
}

/** Permissions an admin may classify: those Microsoft Graph lets users consent to. */
export function classifiableScopes(scopes: readonly DelegatedScope[]): DelegatedScope[] {
  return scopes.filter((scope) => scope.type === "User").sort((a, b) => a.value.localeCompare(b.value));
}

/** What the plan leaves out, one line each: permissions Entra would refuse (with its reason) and those already as wanted. */
export function classificationNotes(plan: ClassificationPlan): string[] {
  return [...plan.refused.map((r) => `Refused ${r.permission}: ${r.reason}`), ...plan.unchanged.map((u) => `${u.permission}: ${u.reason}.`)];
}
