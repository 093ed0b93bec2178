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
};

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
  const plan: ClassificationPlan = { toAdd: [], toRemove: [], refused: [], unchanged: [], changed: false, beforeWords: [], afterWords: [] };
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
