import graphCatalog from "@/lib/data/microsoft-graph-permissions.json";
import risky from "@/lib/data/risky-app-permissions.json";

/** Permission descriptions (Microsoft Graph's catalog) and risk levels (CISA ScubaGear), for previews. */

export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export type PermissionKind = "delegated" | "application";
export type RiskLevel = "Critical" | "High" | "Medium" | "Low" | "Unrated";

export type PermissionInfo = {
  value: string;
  id: string | null;
  displayName: string;
  description: string;
  /** Delegated permissions that only an admin can consent to (Graph's `isAdmin`); always true for application permissions. */
  adminConsentRequired: boolean;
  risk: RiskLevel;
};

type CatalogEntry = { id: string; value: string; adminConsentDisplayName?: string | null; adminConsentDescription?: string | null; isAdmin?: boolean };

const graphByKind: Record<PermissionKind, Map<string, CatalogEntry>> = {
  delegated: new Map((graphCatalog.delegatedScopesList as CatalogEntry[]).map((entry) => [entry.value.toLowerCase(), entry])),
  application: new Map((graphCatalog.applicationScopesList as CatalogEntry[]).map((entry) => [entry.value.toLowerCase(), entry])),
};

type RiskTable = Record<string, { Name: string; RiskLevel: string }>;
const riskResources = risky.resources as Record<string, string>;
const riskPermissions = risky.permissions as unknown as Record<string, { Application?: RiskTable; Delegated?: RiskTable }>;

/** Risk levels by resource app ID, kind and lower-cased permission name (delegated grants store names, not ids). */
const riskByName = new Map<string, RiskLevel>();
/** The same levels by permission id: app role assignments carry the app role id, classifications the scope id. */
const riskById = new Map<string, RiskLevel>();
for (const [resourceAppId, resourceName] of Object.entries(riskResources)) {
  const tables = riskPermissions[resourceName];
  for (const [kind, table] of [["application", tables?.Application], ["delegated", tables?.Delegated]] as const) {
    for (const [id, entry] of Object.entries(table ?? {})) {
      riskByName.set(`${resourceAppId}|${kind}|${entry.Name.toLowerCase()}`, entry.RiskLevel as RiskLevel);
      riskById.set(`${resourceAppId}|${kind}|${id.toLowerCase()}`, entry.RiskLevel as RiskLevel);
    }
  }
}

export function resourceName(resourceAppId: string): string {
  return riskResources[resourceAppId] ?? resourceAppId;
}

export function riskOf(resourceAppId: string, kind: PermissionKind, value: string): RiskLevel {
  return riskByName.get(`${resourceAppId}|${kind}|${value.toLowerCase()}`) ?? "Unrated";
}

/** The risk table's level for a permission id (app role id or delegated scope id), null when the table does not list it. */
export function riskOfId(resourceAppId: string, kind: PermissionKind, id: string): RiskLevel | null {
  return riskById.get(`${resourceAppId.toLowerCase()}|${kind}|${id.toLowerCase()}`) ?? null;
}

/**
 * The level the inventory gives a permission an app holds: the risk table by app role id (application
 * permissions), then by resource + name; a permission the table does not rate falls back on Microsoft's
 * "admin consent required" flag (Medium when only an admin may grant it, Low when users may). Unrated
 * only for delegated permissions of APIs whose catalog the portal does not have.
 */
export function heldPermissionRisk(resourceAppId: string, kind: PermissionKind, value: string, appRoleId: string | null = null): RiskLevel {
  const rated = (appRoleId ? riskOfId(resourceAppId, kind, appRoleId) : null) ?? riskOf(resourceAppId, kind, value);
  if (rated !== "Unrated") return rated;
  if (kind === "application") return "Medium";
  const entry = resourceAppId === MICROSOFT_GRAPH_APP_ID ? graphByKind.delegated.get(value.toLowerCase()) : undefined;
  if (!entry) return "Unrated";
  return entry.isAdmin ? "Medium" : "Low";
}

/** What a permission is, as the preview shows it. Unknown permissions (other APIs) keep their name. */
export function describePermission(resourceAppId: string, kind: PermissionKind, value: string): PermissionInfo {
  const entry = resourceAppId === MICROSOFT_GRAPH_APP_ID ? graphByKind[kind].get(value.toLowerCase()) : undefined;
  return {
    value: entry?.value ?? value,
    id: entry?.id ?? null,
    displayName: entry?.adminConsentDisplayName ?? value,
    description: entry?.adminConsentDescription ?? "",
    adminConsentRequired: kind === "application" ? true : (entry?.isAdmin ?? false),
    risk: riskOf(resourceAppId, kind, value),
  };
}

/** True when `value` is a published Microsoft Graph permission of this kind (S8: scopes come from the catalog). */
/** Every published Microsoft Graph delegated permission, spelled as Graph spells it. */
export function graphDelegatedPermissions(): string[] {
  return [...graphByKind.delegated.values()].map((entry) => entry.value);
}

export function isPublishedGraphPermission(kind: PermissionKind, value: string): boolean {
  return graphByKind[kind].has(value.toLowerCase());
}
