import { z } from "zod";

/** zod shapes of the JSON files in sim/fixtures: a broken fixture fails loudly at load time. */

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
const publisher = z.object({
  displayName: z.string().nullable(),
  verifiedPublisherId: z.string().nullable(),
  addedDateTime: z.string().nullable(),
});

export const tenantFile = z.object({
  tenantId: guid,
  displayName: z.string(),
  defaultDomain: z.string(),
  portalClient: z.object({ clientId: guid, displayName: z.string() }).loose(),
}).loose();

export const usersFile = z.array(
  z.object({
    id: guid,
    displayName: z.string(),
    userPrincipalName: z.string(),
    jobTitle: z.string().optional(),
    wids: z.array(guid).default([]),
    homeTenantId: guid.optional(),
    accountEnabled: z.boolean().default(true),
  }).loose(),
);

export const groupsFile = z.array(
  z.object({
    id: guid,
    displayName: z.string(),
    description: z.string().nullable().default(null),
    mailEnabled: z.boolean().default(false),
    securityEnabled: z.boolean().default(true),
    mailNickname: z.string(),
    memberIds: z.array(guid),
  }),
);

export const vendorAppsFile = z.object({
  apps: z.array(
    z.object({
      appId: guid,
      displayName: z.string(),
      publisherName: z.string(),
      publisherTenantId: guid,
      verifiedPublisher: publisher,
      homepage: z.string().nullable(),
      replyUrls: z.array(z.string()),
      risky: z.boolean().default(false),
      article: z.string().nullable().default(null),
      requiredResourceAccess: z.array(
        z.object({ resourceAppId: guid, scopes: z.array(z.string()), appRoles: z.array(z.string()) }),
      ),
    }),
  ),
});

const scopeShort = z.object({
  id: guid,
  value: z.string(),
  type: z.enum(["User", "Admin"]),
  adminConsentDisplayName: z.string().optional(),
});
const roleShort = z.object({ id: guid, value: z.string(), displayName: z.string().optional() });

export const servicePrincipalsFile = z.object({
  servicePrincipals: z.array(
    z.object({
      id: guid,
      appId: guid,
      displayName: z.string(),
      publisherName: z.string().nullable(),
      appOwnerOrganizationId: guid.nullable(),
      verifiedPublisher: publisher,
      homepage: z.string().nullable(),
      replyUrls: z.array(z.string()),
      servicePrincipalNames: z.array(z.string()).optional(),
      tags: z.array(z.string()).default([]),
      signInAudience: z.string().default("AzureADMultipleOrgs"),
      appRoleAssignmentRequired: z.boolean().default(false),
      accountEnabled: z.boolean().default(true),
      permissionsFrom: z.literal("microsoft-graph-catalog").optional(),
      oauth2PermissionScopes: z.array(scopeShort).default([]),
      appRoles: z.array(roleShort).default([]),
    }),
  ),
  oauth2PermissionGrants: z.array(
    z.object({
      id: z.string(),
      clientId: guid,
      consentType: z.enum(["AllPrincipals", "Principal"]),
      principalId: guid.nullable(),
      resourceId: guid,
      scope: z.string(),
    }),
  ),
  appRoleAssignments: z.array(
    z.object({ id: z.string(), principalId: guid, resourceId: guid, appRole: z.string(), createdDateTime: z.string() }),
  ),
  delegatedPermissionClassifications: z.array(
    z.object({ id: guid, resourceAppId: guid, permissionName: z.string(), classification: z.enum(["low", "medium", "high"]) }),
  ),
});

const conditionSet = z.object({
  id: z.string(),
  permissionType: z.enum(["delegated", "application", "delegatedUserConsentable"]),
  permissionClassification: z.string().default("all"),
  resourceApplication: z.string().default("any"),
  permissions: z.array(z.string()).default(["all"]),
  clientApplicationIds: z.array(z.string()).default(["all"]),
  clientApplicationTenantIds: z.array(z.string()).default(["all"]),
  clientApplicationPublisherIds: z.array(z.string()).default(["all"]),
  clientApplicationsFromVerifiedPublisherOnly: z.boolean().default(false),
  certifiedClientApplicationsOnly: z.boolean().default(false),
});
export type ConditionSetInput = z.input<typeof conditionSet>;
export const conditionSetSchema = conditionSet;

export const policiesFile = z.object({
  authorizationPolicy: z.object({
    id: z.literal("authorizationPolicy"),
    displayName: z.string(),
    description: z.string(),
    allowInvitesFrom: z.enum(["none", "adminsAndGuestInviters", "adminsGuestInvitersAndAllMembers", "everyone"]),
    allowedToSignUpEmailBasedSubscriptions: z.boolean(),
    allowedToUseSSPR: z.boolean(),
    allowEmailVerifiedUsersToJoinOrganization: z.boolean(),
    blockMsolPowerShell: z.boolean(),
    allowUserConsentForRiskyApps: z.boolean().nullable().default(null),
    guestUserRoleId: guid,
    defaultUserRolePermissions: z.object({
      allowedToCreateApps: z.boolean(),
      allowedToCreateSecurityGroups: z.boolean(),
      allowedToCreateTenants: z.boolean(),
      allowedToReadBitlockerKeysForOwnedDevice: z.boolean(),
      allowedToReadOtherUsers: z.boolean(),
      permissionGrantPoliciesAssigned: z.array(z.string()),
    }),
  }),
  adminConsentRequestPolicy: z.object({
    isEnabled: z.boolean(),
    notifyReviewers: z.boolean(),
    remindersEnabled: z.boolean(),
    requestDurationInDays: z.number().int(),
    reviewers: z.array(z.object({ query: z.string(), queryType: z.string(), queryRoot: z.string().nullable() })),
    version: z.number().int(),
  }),
  permissionGrantPolicies: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      description: z.string(),
      includeAllPreApprovedApplications: z.boolean().default(false),
      resourceScopeType: z.enum(["tenant", "team", "chat", "group"]).default("tenant"),
      includes: z.array(conditionSet),
      excludes: z.array(conditionSet),
    }),
  ),
  groupConsentTemplateAvailable: z.boolean(),
  directorySettings: z.array(
    z.object({ id: guid, displayName: z.string(), templateId: guid, values: z.array(z.object({ name: z.string(), value: z.string() })) }),
  ),
});

export const signInsFile = z.array(
  z.object({
    id: guid,
    createdDateTime: z.string(),
    userId: guid,
    appId: guid,
    ipAddress: z.string(),
    correlationId: guid,
    resourceId: guid,
    status: z.object({ errorCode: z.number().int(), failureReason: z.string().nullable(), additionalDetails: z.string().nullable() }),
  }),
);

export const directoryAuditsFile = z.array(
  z.object({
    id: z.string(),
    activityDateTime: z.string(),
    activityDisplayName: z.string(),
    category: z.string(),
    operationType: z.string(),
    initiatedBy: guid,
    target: z.object({ id: guid, displayName: z.string(), type: z.string() }),
    modifiedProperties: z.array(z.object({ displayName: z.string(), oldValue: z.string().nullable(), newValue: z.string().nullable() })),
  }),
);

export const consentRequestsFile = z.array(
  z.object({
    id: guid,
    appId: guid,
    userConsentRequests: z.array(
      z.object({
        id: guid,
        userId: guid,
        createdDateTime: z.string(),
        reason: z.string(),
        status: z.enum(["Initializing", "InProgress", "Expired", "Completed"]),
      }),
    ),
  }),
);
