import { readFileSync } from "node:fs";
import { z } from "zod";
import type { AppRole, PermissionScope } from "./types";

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

const entry = z.object({
  id: z.string(),
  value: z.string(),
  isAdmin: z.boolean(),
  isEnabled: z.boolean().optional(),
  adminConsentDisplayName: z.string().nullable().optional(),
  adminConsentDescription: z.string().nullable().optional(),
  consentDisplayName: z.string().nullable().optional(),
  consentDescription: z.string().nullable().optional(),
  allowedMemberTypes: z.array(z.string()).optional(),
});
const catalogFile = z.object({ delegatedScopesList: z.array(entry), applicationScopesList: z.array(entry) });

export interface GraphPermissionCatalog {
  scopes: PermissionScope[];
  appRoles: AppRole[];
}

/**
 * Microsoft Graph's published permissions (lib/data/microsoft-graph-permissions.json) in the shape
 * of its service principal's oauth2PermissionScopes and appRoles, so ids are the real ones.
 */
export function loadGraphCatalog(path: string): GraphPermissionCatalog {
  const raw = catalogFile.parse(JSON.parse(readFileSync(path, "utf8")));
  return {
    scopes: raw.delegatedScopesList.map((e) => ({
      id: e.id,
      value: e.value,
      type: e.isAdmin ? "Admin" : "User",
      isEnabled: e.isEnabled ?? true,
      adminConsentDisplayName: e.adminConsentDisplayName ?? null,
      adminConsentDescription: e.adminConsentDescription ?? null,
      userConsentDisplayName: e.consentDisplayName ?? null,
      userConsentDescription: e.consentDescription ?? null,
      origin: "Application",
    })),
    appRoles: raw.applicationScopesList.map((e) => ({
      id: e.id,
      value: e.value,
      displayName: e.adminConsentDisplayName ?? null,
      description: e.adminConsentDescription ?? null,
      allowedMemberTypes: e.allowedMemberTypes ?? ["Application"],
      isEnabled: e.isEnabled ?? true,
      origin: "Application",
    })),
  };
}
