import { badRequest, GraphError, notFound } from "./errors";
import { newGuid, newOpaqueId } from "./ids";
import type { Tenant } from "./tenant";
import type { Actor, DelegatedPermissionClassification, OAuth2PermissionGrant } from "./types";

export const MAX_SCOPE_LENGTH = 3850;

export interface GrantInput {
  clientId: string;
  consentType: "AllPrincipals" | "Principal";
  principalId?: string | null;
  resourceId: string;
  scope: string;
}

export const splitScope = (scope: string): string[] => scope.split(/\s+/).filter((s) => s.length > 0);

/**
 * Graph stores whatever scope string it is given ("oAuth2PermissionGrant resource type": each claim value
 * *should* match a published delegated permission, and the string must not exceed 3,850 characters); only the
 * length is enforced. A value the resource does not publish is stored as is, so refusing it is the caller's job.
 */
function validateScope(scope: string): void {
  if (scope.length > MAX_SCOPE_LENGTH) {
    throw badRequest(`The value of property 'scope' exceeds the maximum length of ${MAX_SCOPE_LENGTH} characters.`);
  }
}

function grantTargets(t: Tenant, g: OAuth2PermissionGrant, oldScope: string | null, newScope: string | null) {
  const resource = t.servicePrincipal(g.resourceId);
  const client = t.servicePrincipal(g.clientId);
  return [
    {
      id: g.resourceId, displayName: resource?.displayName ?? null, type: "ServicePrincipal",
      modifiedProperties: [
        { displayName: "DelegatedPermissionGrant.Scope", oldValue: oldScope === null ? null : JSON.stringify(oldScope), newValue: newScope === null ? null : JSON.stringify(newScope) },
        { displayName: "DelegatedPermissionGrant.ConsentType", oldValue: null, newValue: JSON.stringify(g.consentType) },
      ],
    },
    { id: g.clientId, displayName: client?.displayName ?? null, type: "ServicePrincipal", modifiedProperties: [] },
  ];
}

const grantDetails = (t: Tenant, g: OAuth2PermissionGrant) => [
  { key: "AppId", value: t.servicePrincipal(g.clientId)?.appId ?? "" },
  { key: "DelegatedPermissionGrantId", value: g.id },
  ...(g.principalId ? [{ key: "PrincipalId", value: g.principalId }] : []),
];

export function findGrant(t: Tenant, clientId: string, resourceId: string, consentType: string, principalId: string | null): OAuth2PermissionGrant | undefined {
  for (const g of t.state.grants.values()) {
    if (g.clientId === clientId && g.resourceId === resourceId && g.consentType === consentType && (g.principalId ?? null) === principalId) return g;
  }
  return undefined;
}

export function createGrant(t: Tenant, input: GrantInput, actor: Actor): OAuth2PermissionGrant {
  const principalId = input.principalId ?? null;
  if (input.consentType === "AllPrincipals" && principalId !== null) {
    throw badRequest("principalId must be null when consentType is 'AllPrincipals'.");
  }
  if (input.consentType === "Principal" && principalId === null) {
    throw badRequest("principalId is required when consentType is 'Principal'.");
  }
  if (!t.servicePrincipal(input.clientId)) throw notFound(input.clientId);
  const resource = t.servicePrincipal(input.resourceId);
  if (!resource) throw notFound(input.resourceId);
  if (principalId !== null && !t.state.users.has(principalId)) throw notFound(principalId);
  validateScope(input.scope);
  if (findGrant(t, input.clientId, input.resourceId, input.consentType, principalId)) {
    throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
  }
  const g: OAuth2PermissionGrant = {
    id: newOpaqueId(), clientId: input.clientId, consentType: input.consentType, principalId,
    resourceId: input.resourceId, scope: input.scope,
  };
  t.state.grants.set(g.id, g);
  t.markCreated(g.id);
  t.audit({ activity: "Add delegated permission grant", operationType: "Add", actor, targets: grantTargets(t, g, null, g.scope), additionalDetails: grantDetails(t, g) });
  return g;
}

/** PATCH replaces the whole scope string (GRAPH.md fact 3): callers must send existing + new. */
export function updateGrantScope(t: Tenant, id: string, scope: string, actor: Actor): OAuth2PermissionGrant {
  const g = t.state.grants.get(id);
  if (!g) throw notFound(id);
  validateScope(scope);
  const old = g.scope;
  g.scope = scope;
  // Entra's exact activity name for a scope change is unconfirmed; this is the plain reading.
  t.audit({ activity: "Update delegated permission grant", operationType: "Update", actor, targets: grantTargets(t, g, old, scope), additionalDetails: grantDetails(t, g) });
  return g;
}

export function deleteGrant(t: Tenant, id: string, actor: Actor): void {
  const g = t.state.grants.get(id);
  if (!g) throw notFound(id);
  t.state.grants.delete(id);
  t.audit({ activity: "Remove delegated permission grant", operationType: "Delete", actor, targets: grantTargets(t, g, g.scope, null), additionalDetails: grantDetails(t, g) });
}

export interface ClassificationInput {
  permissionId?: string;
  permissionName?: string;
  classification: string;
}

/** Only delegated permissions that need no admin consent may be classified (Graph refuses the rest). */
export function addClassification(t: Tenant, spId: string, input: ClassificationInput, actor: Actor): DelegatedPermissionClassification {
  const s = t.servicePrincipal(spId);
  if (!s) throw notFound(spId);
  if (input.classification !== "low") {
    throw badRequest(`Invalid value '${input.classification}' for property 'classification'. Only 'low' is supported.`);
  }
  const perm = s.oauth2PermissionScopes.find((p) =>
    (input.permissionId !== undefined && p.id.toLowerCase() === input.permissionId.toLowerCase()) ||
    (input.permissionId === undefined && input.permissionName !== undefined && p.value === input.permissionName));
  if (!perm) {
    throw badRequest(`Permission '${input.permissionId ?? input.permissionName ?? ""}' is not a delegated permission of service principal '${s.displayName}'.`);
  }
  if (perm.type === "Admin") {
    throw badRequest(`Permission '${perm.value}' requires admin consent and cannot be classified. Only delegated permissions that do not require admin consent can be classified.`);
  }
  const list = t.state.classifications.get(spId) ?? [];
  if (list.some((c) => c.permissionId === perm.id)) {
    throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", `A classification already exists for permission '${perm.value}'.`);
  }
  const c: DelegatedPermissionClassification = { id: newGuid(), permissionId: perm.id, permissionName: perm.value, classification: "low" };
  t.state.classifications.set(spId, [...list, c]);
  t.audit({
    activity: "Add delegated permission classification", category: "ApplicationManagement", operationType: "Add", actor,
    targets: [{ id: s.id, displayName: s.displayName, type: "ServicePrincipal", modifiedProperties: [{ displayName: "Classification", oldValue: null, newValue: JSON.stringify(`${perm.value}: low`) }] }],
  });
  return c;
}

export function removeClassification(t: Tenant, spId: string, id: string, actor: Actor): void {
  const s = t.servicePrincipal(spId);
  if (!s) throw notFound(spId);
  const list = t.state.classifications.get(spId) ?? [];
  const c = list.find((x) => x.id === id);
  if (!c) throw notFound(id);
  t.state.classifications.set(spId, list.filter((x) => x.id !== id));
  t.audit({
    activity: "Remove delegated permission classification", operationType: "Delete", actor,
    targets: [{ id: s.id, displayName: s.displayName, type: "ServicePrincipal", modifiedProperties: [{ displayName: "Classification", oldValue: JSON.stringify(`${c.permissionName}: low`), newValue: null }] }],
  });
}
