import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { loadGraphCatalog } from "./catalog";
import * as F from "./fixture-schemas";
import { Tenant } from "./tenant";
import type {
  AppConsentRequest, AppRoleAssignment, DelegatedPermissionClassification, DirectoryAudit, Group, KnownApp,
  OAuth2PermissionGrant, PermissionGrantPolicy, RoleAssignment, ServicePrincipal, SignIn, TenantState, User,
} from "./types";

export interface LoadOptions {
  /** defaults to sim/fixtures */
  fixturesDir?: string;
  /** defaults to lib/data (Microsoft Graph permission catalog) */
  dataDir?: string;
  /** model a newer tenant: no consent settings object and the template reported unavailable */
  newerTenant?: boolean;
  clock?: () => number;
}

const here = fileURLToPath(new URL(".", import.meta.url));
export const DEFAULT_FIXTURES_DIR = join(here, "..", "..", "fixtures");
export const DEFAULT_DATA_DIR = join(here, "..", "..", "..", "lib", "data");

function read<T extends z.ZodType>(dir: string, file: string, schema: T): z.output<T> {
  const text = readFileSync(join(dir, file), "utf8");
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`fixture ${file} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

export function loadTenantFromFixtures(opts: LoadOptions = {}): Tenant {
  const dir = opts.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const tenantJson = read(dir, "tenant.json", F.tenantFile);
  const tid = tenantJson.tenantId;
  const usersJson = read(dir, "users.json", F.usersFile);
  const spJson = read(dir, "service-principals.json", F.servicePrincipalsFile);
  const policiesJson = read(dir, "policies.json", F.policiesFile);
  const catalog = loadGraphCatalog(join(opts.dataDir ?? DEFAULT_DATA_DIR, "microsoft-graph-permissions.json"));
  const created = "2024-01-15T09:00:00Z";

  // Users from other tenants in users.json exist only for the issuer (foreign-tenant sign-in tests).
  const members = usersJson.filter((u) => (u.homeTenantId ?? tid) === tid);
  const users = new Map<string, User>(members.map((u) => [u.id, {
    id: u.id, displayName: u.displayName, userPrincipalName: u.userPrincipalName, mail: u.userPrincipalName,
    jobTitle: u.jobTitle ?? null, accountEnabled: u.accountEnabled, userType: "Member",
  }]));
  const roleAssignments: RoleAssignment[] = members.flatMap((u) => u.wids.map((roleId) => ({
    // Graph's unifiedRoleAssignment ids are opaque; this keeps them stable across loads
    id: Buffer.from(`${roleId}:${u.id}`).toString("base64url").slice(0, 43), principalId: u.id, roleDefinitionId: roleId, directoryScopeId: "/",
  })));
  const groups = new Map<string, Group>(read(dir, "groups.json", F.groupsFile).map((g) => [g.id, g]));

  const servicePrincipals = new Map<string, ServicePrincipal>();
  for (const s of spJson.servicePrincipals) {
    const fromCatalog = s.permissionsFrom === "microsoft-graph-catalog";
    servicePrincipals.set(s.id, {
      id: s.id, appId: s.appId, displayName: s.displayName, appDisplayName: s.displayName,
      appOwnerOrganizationId: s.appOwnerOrganizationId, publisherName: s.publisherName, verifiedPublisher: s.verifiedPublisher,
      homepage: s.homepage, replyUrls: s.replyUrls, servicePrincipalNames: s.servicePrincipalNames ?? [s.appId],
      servicePrincipalType: "Application", signInAudience: s.signInAudience, accountEnabled: s.accountEnabled,
      appRoleAssignmentRequired: s.appRoleAssignmentRequired, tags: s.tags, notes: null, createdDateTime: created,
      oauth2PermissionScopes: fromCatalog ? catalog.scopes : s.oauth2PermissionScopes.map((p) => ({
        id: p.id, value: p.value, type: p.type, isEnabled: true, adminConsentDisplayName: p.adminConsentDisplayName ?? p.value,
        adminConsentDescription: null, userConsentDisplayName: p.type === "User" ? (p.adminConsentDisplayName ?? p.value) : null,
        userConsentDescription: null, origin: "Application",
      })),
      appRoles: fromCatalog ? catalog.appRoles : s.appRoles.map((r) => ({
        id: r.id, value: r.value, displayName: r.displayName ?? r.value, description: null,
        allowedMemberTypes: ["Application"], isEnabled: true, origin: "Application",
      })),
    });
  }
  const spOrThrow = (id: string, what: string): ServicePrincipal => {
    const s = servicePrincipals.get(id);
    if (!s) throw new Error(`fixture service-principals.json: ${what} '${id}' is not a service principal`);
    return s;
  };
  const grants = new Map<string, OAuth2PermissionGrant>(spJson.oauth2PermissionGrants.map((g) => {
    spOrThrow(g.clientId, "clientId");
    spOrThrow(g.resourceId, "resourceId");
    return [g.id, g];
  }));
  const appRoleAssignments = new Map<string, AppRoleAssignment>(spJson.appRoleAssignments.map((a) => {
    const resource = spOrThrow(a.resourceId, "resourceId");
    const principal = spOrThrow(a.principalId, "principalId");
    const role = resource.appRoles.find((r) => r.value === a.appRole);
    if (!role) throw new Error(`fixture: app role '${a.appRole}' not found on ${resource.displayName}`);
    return [a.id, {
      id: a.id, appRoleId: role.id, createdDateTime: a.createdDateTime, deletedDateTime: null,
      principalDisplayName: principal.displayName, principalId: principal.id, principalType: "ServicePrincipal",
      resourceDisplayName: resource.displayName, resourceId: resource.id,
    }];
  }));
  const classifications = new Map<string, DelegatedPermissionClassification[]>();
  for (const c of spJson.delegatedPermissionClassifications) {
    const resource = [...servicePrincipals.values()].find((s) => s.appId === c.resourceAppId);
    const scope = resource?.oauth2PermissionScopes.find((p) => p.value === c.permissionName);
    if (!resource || !scope) throw new Error(`fixture: classification ${c.permissionName} has no matching scope`);
    classifications.set(resource.id, [...(classifications.get(resource.id) ?? []),
      { id: c.id, permissionId: scope.id, permissionName: scope.value, classification: c.classification }]);
  }

  const withTenant = (list: string[]) => list.map((x) => x.replace("{tenantId}", tid));
  const permissionGrantPolicies = new Map<string, PermissionGrantPolicy>(policiesJson.permissionGrantPolicies.map((p) => [p.id, {
    ...p,
    includes: p.includes.map((c) => ({ ...c, clientApplicationTenantIds: withTenant(c.clientApplicationTenantIds) })),
    excludes: p.excludes.map((c) => ({ ...c, clientApplicationTenantIds: withTenant(c.clientApplicationTenantIds) })),
  }]));

  const userById = (id: string) => users.get(id);
  const directoryAudits: DirectoryAudit[] = read(dir, "directory-audits.json", F.directoryAuditsFile).map((a) => {
    const u = userById(a.initiatedBy);
    return {
      id: a.id, category: a.category, correlationId: a.id.replace("Directory_", ""), result: "success", resultReason: "",
      activityDisplayName: a.activityDisplayName, activityDateTime: a.activityDateTime, loggedByService: "Core Directory",
      operationType: a.operationType,
      initiatedBy: { user: { id: a.initiatedBy, displayName: u?.displayName ?? null, userPrincipalName: u?.userPrincipalName ?? null, ipAddress: null }, app: null },
      targetResources: [{ ...a.target, userPrincipalName: null, modifiedProperties: a.modifiedProperties }],
      additionalDetails: [],
    };
  });
  const vendorApps = read(dir, "vendor-apps.json", F.vendorAppsFile).apps;
  const appName = (appId: string) =>
    vendorApps.find((v) => v.appId === appId)?.displayName ?? [...servicePrincipals.values()].find((s) => s.appId === appId)?.displayName ?? "";
  const signIns: SignIn[] = read(dir, "sign-ins.json", F.signInsFile).map((s) => ({
    ...s, userDisplayName: userById(s.userId)?.displayName ?? "", userPrincipalName: userById(s.userId)?.userPrincipalName ?? "",
    appDisplayName: appName(s.appId), clientAppUsed: "Browser", conditionalAccessStatus: "notApplied", isInteractive: true,
    resourceDisplayName: appName(s.resourceId),
  }));
  const appConsentRequests = new Map<string, AppConsentRequest>(read(dir, "consent-requests.json", F.consentRequestsFile).map((r) => [r.id, {
    id: r.id, appId: r.appId, appDisplayName: appName(r.appId),
    pendingScopes: (vendorApps.find((v) => v.appId === r.appId)?.requiredResourceAccess ?? []).flatMap((x) => x.scopes).map((displayName) => ({ displayName })),
    userConsentRequests: r.userConsentRequests.map((u) => {
      const user = userById(u.userId);
      return {
        id: u.id, approvalId: u.id, completedDateTime: null, createdDateTime: u.createdDateTime, customData: null, reason: u.reason, status: u.status,
        createdBy: { user: { id: u.userId, displayName: user?.displayName ?? "", userPrincipalName: user?.userPrincipalName ?? "" } },
      };
    }),
  }]));

  const state: TenantState = {
    organization: { id: tid, displayName: tenantJson.displayName, defaultDomain: tenantJson.defaultDomain, createdDateTime: created },
    users, groups, roleAssignments, servicePrincipals, grants, appRoleAssignments, classifications,
    authorizationPolicy: policiesJson.authorizationPolicy,
    adminConsentRequestPolicy: policiesJson.adminConsentRequestPolicy,
    permissionGrantPolicies,
    directorySettings: opts.newerTenant ? [] : policiesJson.directorySettings,
    groupConsentTemplateAvailable: opts.newerTenant ? false : policiesJson.groupConsentTemplateAvailable,
    appConsentRequests, directoryAudits, signIns, createdAtMs: new Map(),
  };
  const apps = new Map<string, KnownApp>(vendorApps.map((v) => [v.appId.toLowerCase(), v]));
  return new Tenant(state, apps, { clock: opts.clock });
}
