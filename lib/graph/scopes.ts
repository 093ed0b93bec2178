import type { PortalRole } from "@/lib/roles";

/**
 * The delegated Microsoft Graph permissions the portal uses, per portal role (ASVS 10.2.3: each token
 * carries only what its holder's role needs). Sign-in asks for the union once — the tenant's admin
 * consents to the portal's registration for all of them — and each Graph call then uses a token
 * narrowed to the caller's role through the refresh token. Entra's own roles still decide what a
 * person may actually change.
 */
const GRAPH = "https://graph.microsoft.com/";

const ROLE_SCOPES: Record<PortalRole, readonly string[]> = {
  // Status checks read the user's own profile; app and grant lookups use the portal's read access.
  user: ["User.Read"],
  reviewer: ["User.Read", "Directory.Read.All", "Application.Read.All", "Policy.Read.All", "ConsentRequest.Read.All", "AuditLog.Read.All"],
  admin: [
    "User.Read",
    "Directory.Read.All",
    "AuditLog.Read.All",
    "ConsentRequest.Read.All",
    "Policy.Read.All",
    // Instantiate, restrict and delete service principals.
    "Application.ReadWrite.All",
    // Tenant-wide and per-user delegated grants.
    "DelegatedPermissionGrant.ReadWrite.All",
    // Application permissions and user/group assignment.
    "AppRoleAssignment.ReadWrite.All",
    // The admin consent workflow, the user consent setting, low-impact classifications.
    "Policy.ReadWrite.ConsentRequest",
    "Policy.ReadWrite.Authorization",
    "Policy.ReadWrite.PermissionGrant",
    // The group-owner consent directory setting (beta /settings).
    "Directory.ReadWrite.All",
  ],
};

/** Graph scopes for a role, resource-qualified as Entra and MSAL expect them. */
export function graphScopesFor(role: PortalRole): string[] {
  return ROLE_SCOPES[role].map((scope) => GRAPH + scope);
}

/** What sign-in asks for: OpenID Connect, a refresh token, and every role's Graph scopes. */
export function signInScopes(): string {
  const graph = new Set(Object.values(ROLE_SCOPES).flat());
  return ["openid", "profile", "email", "offline_access", ...[...graph].map((scope) => GRAPH + scope)].join(" ");
}

/** For documentation and the README: the scopes and why, per role. */
export const SCOPES_BY_ROLE = ROLE_SCOPES;
