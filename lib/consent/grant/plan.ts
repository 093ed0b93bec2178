import { describePermission, MICROSOFT_GRAPH_APP_ID, resourceName, type PermissionInfo } from "@/lib/permissions";
import { ENTRA_ROLES } from "@/lib/roles";
import type { AppState, ResourceInfo } from "../app-state";

/**
 * What "grant tenant-wide admin consent" would change, computed from the tenant's state before anything
 * is written: the preview shows it, and execution follows it. Pure.
 */

export type GrantSelection = {
  delegated: { resourceAppId: string; scopes: string[] }[];
  appRoles: { resourceAppId: string; values: string[] }[];
};

export type DelegatedChange = {
  resourceAppId: string;
  resourceName: string;
  /** The API's service principal in the tenant; null when it is missing (then nothing can be granted on it). */
  resource: ResourceInfo | null;
  existingGrantId: string | null;
  /** Scopes of the existing tenant-wide grant, kept as they are. */
  existing: string[];
  add: PermissionInfo[];
  alreadyGranted: string[];
  /** existing + add: what the grant's scope will be (PATCH replaces the whole string). */
  resultingScope: string;
  blockedReason: string | null;
};

export type AppRoleChange = {
  resourceAppId: string;
  resourceName: string;
  resource: ResourceInfo | null;
  permission: PermissionInfo;
  appRoleId: string | null;
  alreadyAssigned: boolean;
  /** Why this step cannot be done by the signed-in admin (their Entra role, or the API does not publish it). */
  blockedReason: string | null;
};

export type GrantPlan = {
  createServicePrincipal: boolean;
  delegated: DelegatedChange[];
  appRoles: AppRoleChange[];
  /** Changes that will be made (blocked and already-present items excluded). */
  changeCount: number;
};

/** GRAPH.md: granting Microsoft Graph app roles needs Privileged Role Administrator or Global Administrator. */
export const GRAPH_APP_ROLE_REASON =
  "Only a Privileged Role Administrator or Global Administrator can grant Microsoft Graph application permissions; your Entra role cannot.";

export function canGrantGraphAppRoles(wids: readonly string[]): boolean {
  return wids.includes(ENTRA_ROLES.globalAdministrator) || wids.includes(ENTRA_ROLES.privilegedRoleAdministrator);
}

const lower = (value: string) => value.toLowerCase();

export function planGrant(input: {
  selection: GrantSelection;
  state: AppState;
  /** The API service principals of the selection, by resource appId (null when not in the tenant). */
  resources: Map<string, ResourceInfo | null>;
  /**
   * The delegated permissions each API publishes (its oauth2PermissionScopes' values), by resource appId.
   * Graph stores any scope string it is given (GRAPH.md), so this is the only check that a scope exists (S8).
   */
  publishedScopes: ReadonlyMap<string, readonly string[]>;
  adminWids: readonly string[];
}): GrantPlan {
  const { selection, state, resources, publishedScopes, adminWids } = input;

  const delegated = selection.delegated
    .filter((entry) => entry.scopes.length > 0)
    .map((entry): DelegatedChange => {
      const resource = resources.get(entry.resourceAppId) ?? null;
      const grant = resource ? state.tenantWide.find((g) => g.resource.id === resource.id) : undefined;
      const existing = grant?.scopes ?? [];
      const have = new Set(existing.map(lower));
      const wanted = [...new Map(entry.scopes.map((scope) => [lower(scope), scope])).values()];
      const add = wanted.filter((scope) => !have.has(lower(scope)));
      const published = new Set((publishedScopes.get(entry.resourceAppId) ?? []).map(lower));
      const unpublished = add.filter((scope) => !published.has(lower(scope)));
      let blockedReason: string | null = null;
      if (!resource) blockedReason = "This API has no service principal in your tenant, so its permissions cannot be granted.";
      else if (unpublished.length > 0) {
        blockedReason = `${resource.displayName} does not publish a delegated permission named ${unpublished.join(", ")}, so nothing is granted on it. Deselect ${unpublished.length === 1 ? "it" : "them"}.`;
      }
      return {
        resourceAppId: entry.resourceAppId,
        resourceName: resource?.displayName ?? resourceName(entry.resourceAppId),
        resource,
        existingGrantId: grant?.grantId ?? null,
        existing,
        add: add.map((scope) => describePermission(entry.resourceAppId, "delegated", scope)),
        alreadyGranted: wanted.filter((scope) => have.has(lower(scope))),
        resultingScope: [...existing, ...add].join(" "),
        blockedReason,
      };
    });

  const appRoles = selection.appRoles.flatMap((entry) => {
    const resource = resources.get(entry.resourceAppId) ?? null;
    return entry.values.map((value): AppRoleChange => {
      const role = resource?.appRoles.find((candidate) => lower(candidate.value) === lower(value));
      const alreadyAssigned = !!role && state.appPermissions.some((p) => p.resource.id === resource?.id && p.appRoleId === role.id);
      let blockedReason: string | null = null;
      if (!resource) blockedReason = "This API has no service principal in your tenant.";
      else if (!role) blockedReason = `${resource.displayName} does not publish an application permission named ${value}.`;
      else if (!alreadyAssigned && entry.resourceAppId === MICROSOFT_GRAPH_APP_ID && !canGrantGraphAppRoles(adminWids)) blockedReason = GRAPH_APP_ROLE_REASON;
      return {
        resourceAppId: entry.resourceAppId,
        resourceName: resource?.displayName ?? resourceName(entry.resourceAppId),
        resource,
        permission: describePermission(entry.resourceAppId, "application", value),
        appRoleId: role?.id ?? null,
        alreadyAssigned,
        blockedReason,
      };
    });
  });

  const changeCount =
    delegated.filter((d) => !d.blockedReason && d.add.length > 0).length + appRoles.filter((r) => !r.blockedReason && !r.alreadyAssigned).length;
  return { createServicePrincipal: state.servicePrincipal === null && changeCount > 0, delegated, appRoles, changeCount };
}

/** The catalog's permissions as a selection of everything (the wizard's default). */
export function selectAll(permissions: { resourceAppId: string; scopes: string[]; appRoles: string[] }[]): GrantSelection {
  return {
    delegated: permissions.map((p) => ({ resourceAppId: p.resourceAppId, scopes: p.scopes })),
    appRoles: permissions.filter((p) => p.appRoles.length > 0).map((p) => ({ resourceAppId: p.resourceAppId, values: p.appRoles })),
  };
}
