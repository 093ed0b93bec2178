/**
 * The approved-consent shapes (issue "consent that stays approved"): what the portal approved for an app
 * (its baseline), how the tenant differs from it (a drift), and who re-attests it. Pure data, shared by
 * lib/baseline (recording, adoption, drift), lib/recertification and the settings document.
 */

/**
 * One approved permission. `consentType` says how it was approved:
 * - `AllPrincipals`: a delegated scope granted for all users (tenant-wide admin consent);
 * - `Principal`: a delegated scope individual users may hold through their own consent;
 * - `Application`: an application permission (an app role assignment), `value` the app role's value.
 * A tenant-wide approval also covers the same scope consented by individual users.
 */
export interface BaselinePermission {
  resourceAppId: string;
  /** the API's display name when approved, for reading; the appId is what counts */
  resourceName: string;
  consentType: "AllPrincipals" | "Principal" | "Application";
  value: string;
}

/** Where a baseline write came from (AppBaseline.source). */
export type BaselineSource =
  | "grant"
  | "request"
  | "entra-request"
  | "consent-link"
  | "revoke"
  | "adopted"
  | "drift-accepted"
  | "settings-document";

export interface AppBaselineRecord {
  appId: string;
  displayName: string;
  permissions: BaselinePermission[];
  verifiedPublisher: string | null;
  source: BaselineSource;
  justification: string;
  requestId: string | null;
  approvedBy: { oid: string; upn: string; name: string };
  approvedAt: string;
  version: number;
}

export type DriftKind = "added" | "removed" | "unapproved-app" | "publisher-unverified";
export type DriftStatus = "open" | "accepted" | "reverted" | "resolved";

/** One difference between the tenant and a baseline, before it is stored (BaselineDrift). */
export interface DetectedDrift {
  /** kind + appId (+ resource + consent type + value): stable across scans */
  key: string;
  kind: DriftKind;
  appId: string;
  appName: string;
  servicePrincipalId: string | null;
  permissions: BaselinePermission[];
  detail: string;
}

/** A permission's identity: the same API, consent type and value (scope names compare case-insensitively). */
export function permissionKey(p: Pick<BaselinePermission, "resourceAppId" | "consentType" | "value">): string {
  return `${p.resourceAppId.toLowerCase()}|${p.consentType}|${p.value.toLowerCase()}`;
}

/** Whether an approved set covers one held permission: a tenant-wide approval covers users' own consent too. */
export function baselineCovers(approved: readonly BaselinePermission[], held: BaselinePermission): boolean {
  const keys = new Set(approved.map(permissionKey));
  if (keys.has(permissionKey(held))) return true;
  return held.consentType === "Principal" && keys.has(permissionKey({ ...held, consentType: "AllPrincipals" }));
}

/** The default re-attestation period of each risk level, in days (a RecertificationPolicy row overrides it). */
export const DEFAULT_RECERTIFICATION_DAYS: Record<"Critical" | "High" | "Medium" | "Low" | "Unrated", number> = {
  Critical: 90,
  High: 90,
  Medium: 180,
  Low: 365,
  Unrated: 365,
};
