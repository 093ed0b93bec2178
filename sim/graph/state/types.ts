import type { AllowInvitesFrom, ConditionalAccessStatus } from "@microsoft/microsoft-graph-types";

/**
 * Entity shapes held by the simulated tenant. They are the Microsoft Graph v1.0 JSON shapes (what the
 * HTTP layer returns), so serializing is mostly a copy; sim/graph/serialize.ts checks each against
 * Microsoft's generated types where it leaves the simulator.
 */

export interface Tenant0 {
  id: string;
  displayName: string;
  defaultDomain: string;
  createdDateTime: string;
}

export interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  userType: "Member" | "Guest";
}

export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  mailNickname: string;
  /** direct members: user or group ids */
  memberIds: string[];
}

export interface RoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
}

export interface PermissionScope {
  id: string;
  value: string;
  type: "User" | "Admin";
  isEnabled: boolean;
  adminConsentDisplayName: string | null;
  adminConsentDescription: string | null;
  userConsentDisplayName: string | null;
  userConsentDescription: string | null;
  origin?: string;
}

export interface AppRole {
  id: string;
  value: string;
  displayName: string | null;
  description: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
  origin?: string;
}

export interface VerifiedPublisher {
  displayName: string | null;
  verifiedPublisherId: string | null;
  addedDateTime: string | null;
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  appDisplayName: string;
  appOwnerOrganizationId: string | null;
  publisherName: string | null;
  verifiedPublisher: VerifiedPublisher;
  homepage: string | null;
  replyUrls: string[];
  servicePrincipalNames: string[];
  servicePrincipalType: "Application" | "ManagedIdentity" | "Legacy";
  signInAudience: string;
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
  tags: string[];
  notes: string | null;
  oauth2PermissionScopes: PermissionScope[];
  appRoles: AppRole[];
  createdDateTime: string;
}

export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId: string | null;
  resourceId: string;
  scope: string;
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  deletedDateTime: string | null;
  principalDisplayName: string;
  principalId: string;
  principalType: "ServicePrincipal" | "User" | "Group";
  resourceDisplayName: string;
  resourceId: string;
}

export interface DelegatedPermissionClassification {
  id: string;
  permissionId: string;
  permissionName: string;
  classification: "low" | "medium" | "high";
}

export interface AuthorizationPolicy {
  id: "authorizationPolicy";
  displayName: string;
  description: string;
  allowInvitesFrom: AllowInvitesFrom;
  allowedToSignUpEmailBasedSubscriptions: boolean;
  allowedToUseSSPR: boolean;
  allowEmailVerifiedUsersToJoinOrganization: boolean;
  blockMsolPowerShell: boolean;
  /** beta only: risk-based step-up consent; false (the default) sends users of a risky app to admin approval. */
  allowUserConsentForRiskyApps: boolean | null;
  guestUserRoleId: string;
  defaultUserRolePermissions: {
    allowedToCreateApps: boolean;
    allowedToCreateSecurityGroups: boolean;
    allowedToCreateTenants: boolean;
    allowedToReadBitlockerKeysForOwnedDevice: boolean;
    allowedToReadOtherUsers: boolean;
    permissionGrantPoliciesAssigned: string[];
  };
}

export interface ReviewerScope {
  query: string;
  queryType: string;
  queryRoot: string | null;
}

export interface AdminConsentRequestPolicy {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: ReviewerScope[];
  version: number;
}

export interface PermissionGrantConditionSet {
  id: string;
  permissionType: "delegated" | "application" | "delegatedUserConsentable";
  permissionClassification: string;
  resourceApplication: string;
  permissions: string[];
  clientApplicationIds: string[];
  clientApplicationTenantIds: string[];
  clientApplicationPublisherIds: string[];
  clientApplicationsFromVerifiedPublisherOnly: boolean;
  certifiedClientApplicationsOnly: boolean;
}

export interface PermissionGrantPolicy {
  id: string;
  displayName: string;
  description: string;
  includeAllPreApprovedApplications: boolean;
  resourceScopeType: "tenant" | "team" | "chat" | "group";
  includes: PermissionGrantConditionSet[];
  excludes: PermissionGrantConditionSet[];
}

export interface DirectorySetting {
  id: string;
  displayName: string;
  templateId: string;
  values: { name: string; value: string }[];
}

export type UserConsentRequestStatus = "Initializing" | "InProgress" | "Expired" | "Completed";

export interface UserConsentRequest {
  id: string;
  approvalId: string;
  completedDateTime: string | null;
  createdDateTime: string;
  createdBy: { user: { id: string; displayName: string; userPrincipalName: string } };
  customData: string | null;
  reason: string;
  status: UserConsentRequestStatus;
}

export interface AppConsentRequest {
  id: string;
  appId: string;
  appDisplayName: string;
  pendingScopes: { displayName: string }[];
  userConsentRequests: UserConsentRequest[];
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: "success" | "failure";
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    user: { id: string; displayName: string | null; userPrincipalName: string | null; ipAddress: string | null } | null;
    app: { appId: string | null; displayName: string | null; servicePrincipalId: string | null; servicePrincipalName: string | null } | null;
  };
  targetResources: {
    id: string;
    displayName: string | null;
    type: string;
    userPrincipalName: string | null;
    modifiedProperties: ModifiedProperty[];
  }[];
  additionalDetails: { key: string; value: string }[];
}

export interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  correlationId: string;
  conditionalAccessStatus: ConditionalAccessStatus;
  isInteractive: boolean;
  resourceDisplayName: string;
  resourceId: string;
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
}

/** A multi-tenant app the simulator knows about (its home-tenant application object). */
export interface KnownApp {
  appId: string;
  displayName: string;
  publisherName: string;
  publisherTenantId: string;
  verifiedPublisher: VerifiedPublisher;
  homepage: string | null;
  replyUrls: string[];
  /** Entra's "risky app" flag; BlockUserConsentForRiskyApps blocks user consent to these. */
  risky: boolean;
  requiredResourceAccess: { resourceAppId: string; scopes: string[]; appRoles: string[] }[];
  article: string | null;
}

/** Who performed a write: recorded in directoryAudits.initiatedBy. */
export type Actor =
  | { kind: "user"; id: string; displayName: string | null; userPrincipalName: string | null; ipAddress?: string | null; roles?: readonly string[] }
  | { kind: "app"; appId: string; displayName: string | null; servicePrincipalId: string | null };

export interface TenantState {
  organization: Tenant0;
  users: Map<string, User>;
  groups: Map<string, Group>;
  roleAssignments: RoleAssignment[];
  servicePrincipals: Map<string, ServicePrincipal>;
  grants: Map<string, OAuth2PermissionGrant>;
  appRoleAssignments: Map<string, AppRoleAssignment>;
  /** keyed by service principal id */
  classifications: Map<string, DelegatedPermissionClassification[]>;
  authorizationPolicy: AuthorizationPolicy;
  adminConsentRequestPolicy: AdminConsentRequestPolicy;
  permissionGrantPolicies: Map<string, PermissionGrantPolicy>;
  directorySettings: DirectorySetting[];
  /** false models newer tenants where the consent settings template is reported unavailable */
  groupConsentTemplateAvailable: boolean;
  appConsentRequests: Map<string, AppConsentRequest>;
  directoryAudits: DirectoryAudit[];
  signIns: SignIn[];
  /** creation time (epoch ms) of objects created while running: drives simulated replication delay */
  createdAtMs: Map<string, number>;
}
