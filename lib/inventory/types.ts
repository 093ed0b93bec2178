/**
 * The consent inventory's shapes: what a scan reads from Graph (Scanned*), what the portal derives per
 * app (InventoryApp), and what it concludes (AppRisk, Finding, PostureCheck). Pure data: the scan
 * (lib/inventory/scan), the risk model (risk.ts), the findings (findings.ts), the posture checks
 * (lib/inventory/posture) and the pages all speak these types.
 */
import type { RiskLevel } from "@/lib/permissions";

/** A service principal as the scan lists it ($select only what is shown). */
export interface ScannedServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  publisherName: string | null;
  /** verifiedPublisher.displayName when Microsoft verified the publisher, else null */
  verifiedPublisher: string | null;
  /** the tenant that owns the app registration: Microsoft's for first-party apps, ours for single-tenant */
  appOwnerOrganizationId: string | null;
  signInAudience: string | null;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  servicePrincipalType: string | null;
  /** the app roles it defines (only resources with app roles are asked for appRoleAssignedTo) */
  appRoles: { id: string; value: string | null }[];
  createdDateTime: string | null;
}

/** One oauth2PermissionGrant, tenant-wide (AllPrincipals) or one user's own (Principal). */
export interface ScannedDelegatedGrant {
  id: string;
  clientId: string;
  resourceId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId: string | null;
  scope: string;
}

/** One application permission: an appRoleAssignment on a resource service principal. */
export interface ScannedAppRoleAssignment {
  id: string;
  /** the client service principal that holds the permission */
  principalId: string;
  principalType: string;
  resourceId: string;
  appRoleId: string;
  createdDateTime: string | null;
}

/** One app's row of the sign-in activity report: its newest sign-in of any kind (client or API, delegated or app-only). */
export interface ScannedSignInActivity {
  appId: string;
  lastSignIn: string | null;
}

export type ConsentKind = "delegated" | "application";

/** One permission an app holds, with its risk and who consented. */
export interface HeldPermission {
  kind: ConsentKind;
  resourceId: string;
  resourceAppId: string;
  resourceName: string;
  /** scope name (delegated) or app role value (application) */
  value: string;
  /** app role id (application), null for delegated */
  appRoleId: string | null;
  risk: RiskLevel;
  /** delegated: granted for all users (tenant-wide) */
  allUsers: boolean;
  /** delegated: users who consented on their own (Principal grants carrying this scope) */
  userCount: number;
  /**
   * delegated: the object ids of those users, at most USER_IDS_CAP of them (userCount stays the true
   * count); the findings preselect them in the revoke wizard. Absent when the scan did not keep them.
   */
  userIds?: string[];
}

/** How many user ids a HeldPermission keeps: enough to revoke from one finding, small enough to store per scan. */
export const USER_IDS_CAP = 100;

/** Everything the tenant has consented to for one client app. */
export interface InventoryApp {
  servicePrincipalId: string;
  appId: string;
  displayName: string;
  publisherName: string | null;
  verifiedPublisher: string | null;
  firstParty: boolean;
  multiTenant: boolean;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  permissions: HeldPermission[];
  /** distinct users with a Principal grant to this app */
  consentedUsers: number;
  /** the oauth2PermissionGrant ids (delegated) and appRoleAssignment ids (application) behind `permissions` */
  grantIds: string[];
  assignmentIds: string[];
  /** ISO time of the last sign-in the sign-in log shows, null when it shows none (or has no data) */
  lastSignIn: string | null;
}

export interface AppRisk {
  level: RiskLevel;
  /** 0–100, higher is riskier; the sort key of the inventory */
  score: number;
  /** each factor in words, most important first: "Mail.ReadWrite for all users", "unverified publisher" */
  factors: string[];
  /** one line: "High: Mail.ReadWrite for all users; unverified publisher; not used for 90 days" */
  summary: string;
}

export type FindingKind =
  | "high-risk-unverified-publisher"
  | "tenant-wide-mail-or-files"
  | "user-consent-high-risk"
  | "unused"
  | "granted-outside-portal";

export interface Finding {
  /** stable across scans: kind + app (+ permission), so a finding can be followed from scan to scan */
  key: string;
  kind: FindingKind;
  severity: Exclude<RiskLevel, "Unrated">;
  servicePrincipalId: string;
  appId: string;
  appName: string;
  /** what was found, in one sentence */
  title: string;
  /** why it matters and what to do */
  detail: string;
  /** the permissions concerned, as the revoke wizard selects them: s=<API appId>|<scope>, r=<API appId>|<role>, u=<user id> */
  revoke: { s: string[]; r: string[]; u: string[] };
}

export type PostureBaselineId = "eidsca" | "scuba" | "microsoft-managed";

export interface PostureCheck {
  id: string;
  title: string;
  expected: string;
  actual: string;
  status: "pass" | "fail" | "unknown";
  /** the wizard that fixes it */
  fixHref: string;
  /** where the rule comes from */
  source: string;
}
