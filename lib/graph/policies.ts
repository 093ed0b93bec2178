import type { Client } from "@microsoft/microsoft-graph-client";
import type { AdminConsentRequestPolicy, AuthorizationPolicy, GroupSetting, GroupSettingTemplate } from "@microsoft/microsoft-graph-types";

/**
 * Tenant consent policies: the authorization policy (user consent), the admin consent workflow, and
 * the beta directory settings (group-owner consent). Each PUT/PATCH replaces what it names whole.
 */

export async function readUserConsentPolicies(client: Client): Promise<string[]> {
  const policy: AuthorizationPolicy = await client.api("/policies/authorizationPolicy").get();
  return policy.defaultUserRolePermissions?.permissionGrantPoliciesAssigned ?? [];
}

/** PATCH the permission grant policies assigned to users (the whole list: keep the entries not being changed). */
export async function writeUserConsentPolicies(client: Client, assigned: readonly string[]): Promise<void> {
  await client.api("/policies/authorizationPolicy").patch({ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [...assigned] } });
}

/** Whether users without an admin role may register applications (defaultUserRolePermissions.allowedToCreateApps); null when Graph does not say. */
export async function readUsersCanRegisterApps(client: Client): Promise<boolean | null> {
  const policy: AuthorizationPolicy = await client.api("/policies/authorizationPolicy").get();
  return policy.defaultUserRolePermissions?.allowedToCreateApps ?? null;
}

/**
 * Risk-based step-up consent: beta `authorizationPolicy.allowUserConsentForRiskyApps` (v1.0 does not
 * have it). Null when the tenant never set it (Entra then treats it as false).
 */
export async function readRiskyAppUserConsent(client: Client): Promise<boolean | null> {
  const policy: { allowUserConsentForRiskyApps?: boolean | null } = await client.api("/policies/authorizationPolicy").version("beta").select("allowUserConsentForRiskyApps").get();
  return policy.allowUserConsentForRiskyApps ?? null;
}

export async function readAdminConsentRequestPolicy(client: Client): Promise<AdminConsentRequestPolicy> {
  return client.api("/policies/adminConsentRequestPolicy").get();
}

/** PUT the whole admin consent workflow policy. */
export async function writeAdminConsentRequestPolicy(client: Client, policy: AdminConsentRequestPolicy): Promise<void> {
  await client.api("/policies/adminConsentRequestPolicy").put(policy);
}

/** Every directory setting object of the tenant (a handful: one page). */
export async function listDirectorySettings(client: Client): Promise<GroupSetting[]> {
  const found: { value: GroupSetting[] } = await client.api("/settings").version("beta").get();
  return found.value;
}

/** The setting template, or Graph's error (newer tenants no longer have some templates). */
export async function readDirectorySettingTemplate(client: Client, templateId: string): Promise<GroupSettingTemplate> {
  return client.api(`/directorySettingTemplates/${templateId}`).version("beta").get();
}

export type SettingValues = { name: string; value: string }[];

export async function createDirectorySetting(client: Client, templateId: string, values: SettingValues): Promise<void> {
  await client.api("/settings").version("beta").post({ templateId, values });
}

export async function updateDirectorySetting(client: Client, settingId: string, values: SettingValues): Promise<void> {
  await client.api(`/settings/${settingId}`).version("beta").patch({ values });
}
