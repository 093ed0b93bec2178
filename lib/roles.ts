/** Entra directory role template IDs (the `wids` claim) and how they map to portal roles. */
export const ENTRA_ROLES = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  cloudApplicationAdministrator: "158c047a-c907-4556-b7ef-446551a6b5f7",
  applicationAdministrator: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  securityReader: "5d6b6bb7-de71-4623-b4af-96380a352509",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
} as const;

export const ENTRA_ROLE_NAMES: Record<string, string> = {
  [ENTRA_ROLES.globalAdministrator]: "Global Administrator",
  [ENTRA_ROLES.privilegedRoleAdministrator]: "Privileged Role Administrator",
  [ENTRA_ROLES.cloudApplicationAdministrator]: "Cloud Application Administrator",
  [ENTRA_ROLES.applicationAdministrator]: "Application Administrator",
  [ENTRA_ROLES.securityReader]: "Security Reader",
  [ENTRA_ROLES.globalReader]: "Global Reader",
  [ENTRA_ROLES.securityAdministrator]: "Security Administrator",
};

const ADMIN_ROLES = new Set<string>([
  ENTRA_ROLES.globalAdministrator,
  ENTRA_ROLES.privilegedRoleAdministrator,
  ENTRA_ROLES.cloudApplicationAdministrator,
  ENTRA_ROLES.applicationAdministrator,
]);

const REVIEWER_ROLES = new Set<string>([
  ENTRA_ROLES.securityReader,
  ENTRA_ROLES.globalReader,
  ENTRA_ROLES.securityAdministrator,
]);

export type PortalRole = "admin" | "reviewer" | "user";

/** Admin wins over reviewer: an admin can read everything a reviewer can. */
export function portalRoleFor(wids: readonly string[]): PortalRole {
  if (wids.some((id) => ADMIN_ROLES.has(id))) return "admin";
  if (wids.some((id) => REVIEWER_ROLES.has(id))) return "reviewer";
  return "user";
}

/** Names of the Entra roles among `wids` that the portal knows, for display. */
export function entraRoleNames(wids: readonly string[]): string[] {
  return wids.flatMap((id) => (ENTRA_ROLE_NAMES[id] ? [ENTRA_ROLE_NAMES[id]] : []));
}

export const HOME_PATH: Record<PortalRole, string> = {
  admin: "/admin",
  reviewer: "/review",
  user: "/my-apps",
};

export type Capability = { label: string; allowed: boolean; reason: string };

const hasAny = (wids: readonly string[], ...roles: string[]) => roles.some((role) => wids.includes(role));

/**
 * What Entra lets these roles do among the portal's changes (GRAPH.md's least-role table), so pages can
 * show a step as unavailable with the reason instead of letting Graph refuse it.
 */
export function adminCapabilities(wids: readonly string[]): Capability[] {
  const { globalAdministrator: ga, privilegedRoleAdministrator: pra, cloudApplicationAdministrator: caa, applicationAdministrator: aa } =
    ENTRA_ROLES;
  return [
    {
      label: "Grant delegated permissions tenant-wide",
      allowed: hasAny(wids, ga, pra, caa, aa),
      reason: "Needs Cloud Application Administrator, Application Administrator or higher.",
    },
    {
      label: "Grant Microsoft Graph application permissions",
      allowed: hasAny(wids, ga, pra),
      reason: "Entra allows only Privileged Role Administrator or Global Administrator to grant Microsoft Graph app roles.",
    },
    {
      label: "Change the user consent setting",
      allowed: hasAny(wids, ga, pra),
      reason: "The authorization policy needs Privileged Role Administrator or Global Administrator.",
    },
    {
      label: "Change group-owner consent",
      allowed: hasAny(wids, ga),
      reason: "The group consent directory setting needs Global Administrator.",
    },
  ];
}

/** One of adminCapabilities' entries by its label, so wizards and the home page state the same facts. */
export function capabilityFor(wids: readonly string[], label: string): Capability {
  const found = adminCapabilities(wids).find((capability) => capability.label === label);
  if (!found) throw new Error(`unknown capability ${label}`);
  return found;
}

export function userConsentCapability(wids: readonly string[]): Capability {
  return capabilityFor(wids, "Change the user consent setting");
}

export function groupConsentCapability(wids: readonly string[]): Capability {
  return capabilityFor(wids, "Change group-owner consent");
}

/** adminConsentRequestPolicy writes: GRAPH.md's sources disagree; the portal follows Graph's page (Cloud Application Administrator). */
export function consentWorkflowCapability(wids: readonly string[]): Capability {
  const { globalAdministrator: ga, cloudApplicationAdministrator: caa, applicationAdministrator: aa } = ENTRA_ROLES;
  return {
    label: "Change the admin consent workflow",
    allowed: hasAny(wids, ga, caa, aa),
    reason: "The admin consent request policy needs Cloud Application Administrator, Application Administrator or Global Administrator.",
  };
}

/** delegatedPermissionClassifications writes (GRAPH.md: Cloud Application Administrator at least). */
export function classificationCapability(wids: readonly string[]): Capability {
  const { globalAdministrator: ga, cloudApplicationAdministrator: caa, applicationAdministrator: aa } = ENTRA_ROLES;
  return {
    label: "Classify permissions as low impact",
    allowed: hasAny(wids, ga, caa, aa),
    reason: "Permission classifications need Cloud Application Administrator, Application Administrator or Global Administrator.",
  };
}
