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

/** A permission is granted by a policy when some include matches and no exclude does. */
export function policyAllows(policy: PermissionGrantPolicy, client: KnownApp, p: PermissionUnderTest): boolean {
  return policy.includes.some((c) => conditionMatches(c, client, p)) && !policy.excludes.some((c) => conditionMatches(c, client, p));
}
