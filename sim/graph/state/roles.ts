/** Entra built-in role template ids the simulator reasons about. */
export const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  cloudApplicationAdministrator: "158c047a-c907-4556-b7ef-446551a6b5f7",
  applicationAdministrator: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  securityReader: "5d6b6bb7-de71-4623-b4af-96380a352509",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  reportsReader: "4a5d8f65-41da-4de4-8968-e035b65339cf",
} as const;

export const ROLE_NAMES: Record<string, string> = {
  [ROLE.globalAdministrator]: "Global Administrator",
  [ROLE.privilegedRoleAdministrator]: "Privileged Role Administrator",
  [ROLE.cloudApplicationAdministrator]: "Cloud Application Administrator",
  [ROLE.applicationAdministrator]: "Application Administrator",
  [ROLE.securityReader]: "Security Reader",
  [ROLE.globalReader]: "Global Reader",
  [ROLE.securityAdministrator]: "Security Administrator",
  [ROLE.reportsReader]: "Reports Reader",
};

/**
 * Which roles may do what. Global Administrator is in every list. "member" means any user of the
 * tenant (default user permissions allow reading most directory objects).
 */
export type RoleRule = "member" | readonly string[];

const GA = ROLE.globalAdministrator;
const PRA = ROLE.privilegedRoleAdministrator;
const CAA = ROLE.cloudApplicationAdministrator;
const AA = ROLE.applicationAdministrator;

export const ROLES = {
  member: "member",
  /** create/delete/patch service principals, delegated grants, non-Graph app role assignments */
  appAdmins: [GA, CAA, AA],
  /** consent grants: PRA may grant consent for any permission to any app */
  consentAdmins: [GA, PRA, CAA, AA],
  /** app role assignments of Microsoft Graph (and Azure AD Graph) app roles to service principals */
  graphAppRoleAdmins: [GA, PRA],
  /** authorizationPolicy and permission grant policies */
  policyAdmins: [GA, PRA],
  /** adminConsentRequestPolicy writes: Graph's page says CAA, Entra's page says GA (GRAPH.md) */
  consentRequestPolicyAdmins: [GA, CAA, AA],
  /** beta directory settings (group consent): Global Administrator only */
  globalAdminOnly: [GA],
  /** reading Entra's admin consent requests */
  consentRequestReaders: [GA, PRA, CAA, AA, ROLE.globalReader],
  /** policy reads beyond what default users can see */
  policyReaders: [GA, PRA, CAA, AA, ROLE.globalReader, ROLE.securityReader, ROLE.securityAdministrator],
  /** audit and sign-in logs */
  auditReaders: [GA, ROLE.securityReader, ROLE.securityAdministrator, ROLE.reportsReader, ROLE.globalReader],
} as const satisfies Record<string, RoleRule>;

/** Microsoft Graph and Azure AD Graph: their app roles need Privileged Role Administrator. */
export const PRIVILEGED_RESOURCE_APP_IDS = new Set([
  "00000003-0000-0000-c000-000000000000",
  "00000002-0000-0000-c000-000000000000",
]);

export function roleAllows(rule: RoleRule, roles: ReadonlySet<string> | readonly string[]): boolean {
  if (rule === "member") return true;
  const has = (r: string) => (Array.isArray(roles) ? roles.includes(r) : (roles as ReadonlySet<string>).has(r));
  return has(GA) || rule.some(has);
}

/**
 * Higher permissions imply lower ones. Graph documents "least privileged" and "higher privileged"
 * permissions per API; this closure lets a route list only the least one (plus true alternatives).
 */
const IMPLIES: Record<string, readonly string[]> = {
  "Directory.AccessAsUser.All": [
    "Directory.ReadWrite.All", "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All",
    "DelegatedPermissionGrant.ReadWrite.All", "User.ReadWrite.All", "Group.ReadWrite.All",
  ],
  "Directory.ReadWrite.All": ["Directory.Read.All", "User.ReadWrite.All", "Group.ReadWrite.All"],
  "Directory.Read.All": [
    "User.Read.All", "Group.Read.All", "Application.Read.All", "RoleManagement.Read.Directory",
    "DelegatedPermissionGrant.Read.All", "Organization.Read.All",
  ],
  "User.Read.All": ["User.ReadBasic.All"],
  "Group.Read.All": ["GroupMember.Read.All"],
  "ConsentRequest.ReadWrite.All": ["ConsentRequest.Read.All"],
  "Policy.ReadWrite.ConsentRequest": ["Policy.Read.ConsentRequest"],
  "Policy.ReadWrite.PermissionGrant": ["Policy.Read.PermissionGrant"],
  "Policy.Read.All": ["Policy.Read.ConsentRequest", "Policy.Read.PermissionGrant"],
};

export function expandPermissions(granted: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...granted];
  while (stack.length > 0) {
    const p = stack.pop();
    if (p === undefined || out.has(p)) continue;
    out.add(p);
    // generic rule: X.ReadWrite.Y implies X.Read.Y (Application.ReadWrite.All ⊇ Application.Read.All)
    if (p.includes(".ReadWrite.")) stack.push(p.replace(".ReadWrite.", ".Read."));
    for (const q of IMPLIES[p] ?? []) stack.push(q);
  }
  return out;
}

/** `alternatives` is any-of; each alternative is all-of (e.g. AppRoleAssignment.ReadWrite.All AND Application.Read.All). */
export function permissionsAllow(alternatives: readonly (readonly string[])[], held: ReadonlySet<string>): boolean {
  return alternatives.some((all) => all.every((p) => held.has(p)));
}
