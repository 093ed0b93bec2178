import type { KnownApp, PermissionGrantConditionSet, PermissionGrantPolicy } from "./types";

export interface PermissionUnderTest {
  id: string;
  type: "delegated" | "application";
  /** true when the permission itself requires admin consent (scope type "Admin") */
  adminOnly: boolean;
  /** "low" when classified so on the resource, else undefined */
  classification: string | undefined;
  resourceAppId: string;
}

const allOr = (list: readonly string[], value: string | null | undefined): boolean =>
  list.some((x) => x.toLowerCase() === "all") || (value != null && list.some((x) => x.toLowerCase() === value.toLowerCase()));

/** One condition set of a permission grant policy, as Entra documents its fields. */
export function conditionMatches(c: PermissionGrantConditionSet, client: KnownApp, p: PermissionUnderTest): boolean {
  if (c.permissionType === "delegatedUserConsentable") {
    if (p.type !== "delegated" || p.adminOnly) return false;
  } else if (c.permissionType !== p.type) return false;
  if (c.permissionClassification !== "all" && c.permissionClassification !== p.classification) return false;
  if (c.resourceApplication.toLowerCase() !== "any" && c.resourceApplication.toLowerCase() !== p.resourceAppId.toLowerCase()) return false;
  if (!allOr(c.permissions, p.id)) return false;
  if (!allOr(c.clientApplicationIds, client.appId)) return false;
  if (!allOr(c.clientApplicationTenantIds, client.publisherTenantId)) return false;
  if (!allOr(c.clientApplicationPublisherIds, client.verifiedPublisher.verifiedPublisherId)) return false;
  if (c.clientApplicationsFromVerifiedPublisherOnly && !client.verifiedPublisher.verifiedPublisherId) return false;
  return true;
}

/** The policy behind Entra's "Let Microsoft manage your consent settings (Recommended)". */
export const MICROSOFT_MANAGED_POLICY_ID = "microsoft-user-default-recommended";

/**
 * Microsoft-managed policies whose excludes hold for third-party apps only. Since mid-2025 (MC1097272)
 * the recommended policy needs admin consent for Files.Read.All, Files.ReadWrite.All, Sites.Read.All
 * and Sites.ReadWrite.All when a third-party app asks, while the organization's own apps keep them.
 * A condition set cannot say "any tenant but this one", and Microsoft evaluates its managed policies on
 * its side, so the simulator applies the third-party limit here.
 */
const THIRD_PARTY_ONLY_EXCLUDES = new Set([MICROSOFT_MANAGED_POLICY_ID]);

/** A permission is granted by a policy when some include matches and no exclude does. */
export function policyAllows(policy: PermissionGrantPolicy, client: KnownApp, p: PermissionUnderTest, homeTenantId: string): boolean {
  if (!policy.includes.some((c) => conditionMatches(c, client, p))) return false;
  const ownApp = client.publisherTenantId.toLowerCase() === homeTenantId.toLowerCase();
  if (THIRD_PARTY_ONLY_EXCLUDES.has(policy.id) && ownApp) return true;
  return !policy.excludes.some((c) => conditionMatches(c, client, p));
}
