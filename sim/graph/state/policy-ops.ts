import { badRequest, GraphError, notFound } from "./errors";
import { newGuid } from "./ids";
import type { Tenant } from "./tenant";
import type { Actor, AdminConsentRequestPolicy, DirectorySetting, ReviewerScope } from "./types";

export const CONSENT_SETTINGS_TEMPLATE_ID = "dffd5d46-495d-40a9-8e21-954ff55e198a";
export const CONSENT_SETTINGS_DEFAULTS: Record<string, string> = {
  EnableGroupSpecificConsent: "false",
  BlockUserConsentForRiskyApps: "true",
  EnableAdminConsentRequests: "false",
  ConstrainGroupSpecificConsentToMembersOfGroupId: "",
};

/** The consent settings template as beta /directorySettingTemplates/{id} returns it, where the tenant still has it. */
export function consentSettingsTemplate(t: Tenant) {
  if (!t.state.groupConsentTemplateAvailable) throw notFound(CONSENT_SETTINGS_TEMPLATE_ID);
  return {
    id: CONSENT_SETTINGS_TEMPLATE_ID,
    displayName: "Consent Policy Settings",
    description: "Settings for a tenant's consent policy.",
    values: Object.entries(CONSENT_SETTINGS_DEFAULTS).map(([name, defaultValue]) => ({ name, type: name.startsWith("Constrain") ? "System.Guid" : "System.Boolean", defaultValue })),
  };
}

/**
 * Turns the tenant into one of the tenants Microsoft created after withdrawing the group consent
 * template: no setting object and no template (until reset), so the portal's "not in this tenant" path
 * can be exercised.
 */
export function withdrawGroupConsentTemplate(t: Tenant): void {
  t.state.directorySettings = t.state.directorySettings.filter((s) => s.templateId !== CONSENT_SETTINGS_TEMPLATE_ID);
  t.state.groupConsentTemplateAvailable = false;
}

export const SELF_PREFIX = "ManagePermissionGrantsForSelf.";
export const OWNED_RESOURCE_PREFIX = "ManagePermissionGrantsForOwnedResource.";

/**
 * The grant policy id of an assigned entry, and whether it is a ForSelf one. Entra compares the prefix
 * without regard to case: its own admin center writes "managePermissionGrantsForSelf.…".
 */
export function assignedEntry(entry: string): { kind: "self" | "ownedResource"; policyId: string } | null {
  const lowered = entry.toLowerCase();
  if (lowered.startsWith(SELF_PREFIX.toLowerCase())) return { kind: "self", policyId: entry.slice(SELF_PREFIX.length) };
  if (lowered.startsWith(OWNED_RESOURCE_PREFIX.toLowerCase())) return { kind: "ownedResource", policyId: entry.slice(OWNED_RESOURCE_PREFIX.length) };
  return null;
}

export interface AuthorizationPolicyPatch {
  defaultUserRolePermissions?: { permissionGrantPoliciesAssigned?: string[] };
  /** beta only */
  allowUserConsentForRiskyApps?: boolean;
}

export function updateAuthorizationPolicy(t: Tenant, patch: AuthorizationPolicyPatch, actor: Actor): void {
  if (patch.allowUserConsentForRiskyApps !== undefined) setRiskyAppUserConsent(t, patch.allowUserConsentForRiskyApps, actor);
  const assigned = patch.defaultUserRolePermissions?.permissionGrantPoliciesAssigned;
  if (assigned === undefined) return;
  for (const entry of assigned) {
    const parsed = assignedEntry(entry);
    if (parsed === null || !t.state.permissionGrantPolicies.has(parsed.policyId)) {
      throw badRequest(`Invalid value '${entry}' specified for property 'permissionGrantPoliciesAssigned'.`);
    }
  }
  const p = t.state.authorizationPolicy.defaultUserRolePermissions;
  const old = p.permissionGrantPoliciesAssigned;
  p.permissionGrantPoliciesAssigned = [...assigned];
  t.audit({
    activity: "Update authorization policy", category: "Policy", operationType: "Update", actor,
    targets: [{ id: "authorizationPolicy", displayName: "Authorization Policy", type: "Policy", modifiedProperties: [
      { displayName: "PermissionGrantPoliciesAssigned", oldValue: JSON.stringify(old), newValue: JSON.stringify(assigned) },
    ] }],
  });
}

/**
 * Risk-based step-up consent. authorizationPolicy.allowUserConsentForRiskyApps (beta) and the consent
 * settings' BlockUserConsentForRiskyApps are two views of one Entra setting, so each write keeps the
 * other in step.
 */
function setRiskyAppUserConsent(t: Tenant, allow: boolean, actor: Actor): void {
  const policy = t.state.authorizationPolicy;
  const old = policy.allowUserConsentForRiskyApps;
  policy.allowUserConsentForRiskyApps = allow;
  const setting = t.state.directorySettings.find((x) => x.templateId === CONSENT_SETTINGS_TEMPLATE_ID);
  const block = setting?.values.find((v) => v.name === "BlockUserConsentForRiskyApps");
  if (block) block.value = allow ? "false" : "true";
  t.audit({
    activity: "Update authorization policy", category: "Policy", operationType: "Update", actor,
    targets: [{ id: "authorizationPolicy", displayName: "Authorization Policy", type: "Policy", modifiedProperties: [
      { displayName: "AllowUserConsentForRiskyApps", oldValue: JSON.stringify(old), newValue: JSON.stringify(allow) },
    ] }],
  });
}

/** Whether users may consent to apps Microsoft flagged risky (false unless an admin allowed it). */
export function riskyAppUserConsentAllowed(t: Tenant): boolean {
  const allow = t.state.authorizationPolicy.allowUserConsentForRiskyApps;
  if (allow !== null) return allow;
  return consentSetting(t, "BlockUserConsentForRiskyApps") === "false";
}

export type UserConsentMode = "none" | "low" | "legacy" | "recommended";

/** The four Entra "User consent for applications" options; OwnedResource entries are kept. */
export function setUserConsentMode(t: Tenant, mode: UserConsentMode, actor: Actor): void {
  const kept = t.state.authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned.filter((e) => assignedEntry(e)?.kind !== "self");
  const self = mode === "none" ? [] : [`${SELF_PREFIX}microsoft-user-default-${mode}`];
  updateAuthorizationPolicy(t, { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [...self, ...kept] } }, actor);
}

export type AdminConsentRequestPolicyInput = Omit<AdminConsentRequestPolicy, "version"> & { version?: number };

const REVIEWER_QUERY = [
  /^(?:\/(?:v1\.0|beta))?\/users\/([0-9a-f-]{36})$/i,
  /^(?:\/(?:v1\.0|beta))?\/groups\/([0-9a-f-]{36})\/transitiveMembers\/microsoft\.graph\.user$/i,
  /^(?:\/(?:v1\.0|beta))?\/roleManagement\/directory\/roleAssignments\?\$filter=roleDefinitionId eq '([0-9a-f-]{36})'$/i,
];

function validateReviewer(r: ReviewerScope): void {
  if (r.queryType !== "MicrosoftGraph") throw badRequest(`Invalid queryType '${r.queryType}': only 'MicrosoftGraph' is supported.`);
  if (!REVIEWER_QUERY.some((re) => re.test(r.query))) throw badRequest(`Invalid reviewer query '${r.query}'.`);
}

export function setAdminConsentRequestPolicy(t: Tenant, p: AdminConsentRequestPolicyInput, actor: Actor): void {
  if (!Number.isInteger(p.requestDurationInDays) || p.requestDurationInDays < 1 || p.requestDurationInDays > 30) {
    throw badRequest("requestDurationInDays must be an integer between 1 and 30.");
  }
  p.reviewers.forEach(validateReviewer);
  if (p.isEnabled && p.reviewers.length === 0) throw badRequest("At least one reviewer is required when the admin consent workflow is enabled.");
  const old = t.state.adminConsentRequestPolicy;
  const next: AdminConsentRequestPolicy = {
    isEnabled: p.isEnabled, notifyReviewers: p.notifyReviewers, remindersEnabled: p.remindersEnabled,
    requestDurationInDays: p.requestDurationInDays, reviewers: p.reviewers.map((r) => ({ ...r })), version: old.version + 1,
  };
  t.state.adminConsentRequestPolicy = next;
  const { version: _v1, ...oldView } = old;
  const { version: _v2, ...newView } = next;
  t.audit({
    activity: "Update policy", category: "Policy", operationType: "Update", actor,
    targets: [{ id: "adminConsentRequestPolicy", displayName: "Admin consent request policy", type: "Policy", modifiedProperties: [
      { displayName: "AdminConsentRequestPolicy", oldValue: JSON.stringify(oldView), newValue: JSON.stringify(newView) },
    ] }],
  });
}

/** Users named by the admin consent workflow's reviewer queries (users, groups, roles). */
export function reviewerUserIds(t: Tenant): Set<string> {
  const out = new Set<string>();
  for (const r of t.state.adminConsentRequestPolicy.reviewers) {
    const [userRe, groupRe, roleRe] = REVIEWER_QUERY;
    const u = userRe?.exec(r.query)?.[1];
    if (u && t.state.users.has(u)) out.add(u);
    const g = groupRe?.exec(r.query)?.[1];
    if (g) for (const id of t.transitiveUserIds(g)) out.add(id);
    const role = roleRe?.exec(r.query)?.[1];
    if (role) for (const a of t.state.roleAssignments) if (a.roleDefinitionId === role) out.add(a.principalId);
  }
  return out;
}

export interface DirectorySettingInput {
  templateId: string;
  values: { name: string; value: string }[];
}

function validateValues(values: { name: string; value: string }[]): void {
  for (const v of values) {
    if (!(v.name in CONSENT_SETTINGS_DEFAULTS)) throw badRequest(`Invalid setting name '${v.name}' for template '${CONSENT_SETTINGS_TEMPLATE_ID}'.`);
  }
}

export function createDirectorySetting(t: Tenant, input: DirectorySettingInput, actor: Actor): DirectorySetting {
  if (input.templateId !== CONSENT_SETTINGS_TEMPLATE_ID || !t.state.groupConsentTemplateAvailable) {
    throw badRequest(`Invalid value specified for property 'templateId' of resource 'DirectorySetting': template '${input.templateId}' is not available in this tenant.`);
  }
  if (t.state.directorySettings.some((s) => s.templateId === input.templateId)) {
    throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", "A conflicting object with one or more of the specified property values is present in the directory.");
  }
  validateValues(input.values);
  const given = new Map(input.values.map((v) => [v.name, v.value]));
  const s: DirectorySetting = {
    id: newGuid(), displayName: "Consent Policy Settings", templateId: input.templateId,
    values: Object.entries(CONSENT_SETTINGS_DEFAULTS).map(([name, value]) => ({ name, value: given.get(name) ?? value })),
  };
  t.state.directorySettings.push(s);
  const block = s.values.find((v) => v.name === "BlockUserConsentForRiskyApps");
  if (block) t.state.authorizationPolicy.allowUserConsentForRiskyApps = block.value.toLowerCase() === "false";
  t.audit({ activity: "Add directory setting", category: "DirectoryManagement", operationType: "Add", actor,
    targets: [{ id: s.id, displayName: s.displayName, type: "DirectorySetting", modifiedProperties: [{ displayName: "Values", oldValue: null, newValue: JSON.stringify(s.values) }] }] });
  return s;
}

/** PATCH sends the values to change; names not sent keep their value. */
export function updateDirectorySetting(t: Tenant, id: string, values: { name: string; value: string }[], actor: Actor): DirectorySetting {
  const s = t.state.directorySettings.find((x) => x.id === id);
  if (!s) throw notFound(id);
  validateValues(values);
  const old = JSON.stringify(s.values);
  for (const v of values) {
    const existing = s.values.find((x) => x.name === v.name);
    if (existing) existing.value = v.value;
    else s.values.push({ ...v });
    if (v.name === "BlockUserConsentForRiskyApps") t.state.authorizationPolicy.allowUserConsentForRiskyApps = v.value.toLowerCase() === "false";
  }
  t.audit({ activity: "Update directory setting", category: "DirectoryManagement", operationType: "Update", actor,
    targets: [{ id: s.id, displayName: s.displayName, type: "DirectorySetting", modifiedProperties: [{ displayName: "Values", oldValue: old, newValue: JSON.stringify(s.values) }] }] });
  return s;
}

export function consentSetting(t: Tenant, name: string): string | undefined {
  const s = t.state.directorySettings.find((x) => x.templateId === CONSENT_SETTINGS_TEMPLATE_ID);
  return s?.values.find((v) => v.name === name)?.value;
}
