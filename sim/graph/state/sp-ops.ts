import { badRequest, GraphError, notFound } from "./errors";
import { newGuid } from "./ids";
import type { Tenant } from "./tenant";
import type { Actor, ModifiedProperty, ServicePrincipal } from "./types";

export interface SpCreateProps {
  tags?: string[];
  accountEnabled?: boolean;
  appRoleAssignmentRequired?: boolean;
  notes?: string | null;
}
export type SpPatch = SpCreateProps;

const spTarget = (s: ServicePrincipal, modifiedProperties: ModifiedProperty[] = []) => ({
  id: s.id, displayName: s.displayName, type: "ServicePrincipal", modifiedProperties,
});

/** POST /servicePrincipals {appId}: only apps the simulated cloud knows can be instantiated. */
export function createServicePrincipal(t: Tenant, appId: string, actor: Actor, props: SpCreateProps = {}): ServicePrincipal {
  if (t.servicePrincipalByAppId(appId)) {
    throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue",
      "Another object with the same value for property servicePrincipalNames already exists.");
  }
  const app = t.apps.get(appId.toLowerCase());
  if (!app) {
    throw badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
  }
  const s: ServicePrincipal = {
    id: newGuid(),
    appId: app.appId,
    displayName: app.displayName,
    appDisplayName: app.displayName,
    appOwnerOrganizationId: app.publisherTenantId,
    publisherName: app.publisherName,
    verifiedPublisher: { ...app.verifiedPublisher },
    homepage: app.homepage,
    replyUrls: [...app.replyUrls],
    servicePrincipalNames: [app.appId],
    servicePrincipalType: "Application",
    signInAudience: "AzureADMultipleOrgs",
    accountEnabled: props.accountEnabled ?? true,
    appRoleAssignmentRequired: props.appRoleAssignmentRequired ?? false,
    tags: props.tags ?? ["WindowsAzureActiveDirectoryIntegratedApp"],
    notes: props.notes ?? null,
    oauth2PermissionScopes: [],
    appRoles: [],
    createdDateTime: t.nowIso(),
  };
  t.state.servicePrincipals.set(s.id, s);
  t.indexServicePrincipal(s);
  t.markCreated(s.id);
  t.audit({
    activity: "Add service principal", operationType: "Add", actor,
    targets: [spTarget(s, [
      { displayName: "AppId", oldValue: null, newValue: JSON.stringify(s.appId) },
      { displayName: "DisplayName", oldValue: null, newValue: JSON.stringify(s.displayName) },
    ])],
  });
  return s;
}

export function ensureServicePrincipal(t: Tenant, appId: string, actor: Actor): { servicePrincipal: ServicePrincipal; created: boolean } {
  const existing = t.servicePrincipalByAppId(appId);
  if (existing) return { servicePrincipal: existing, created: false };
  return { servicePrincipal: createServicePrincipal(t, appId, actor), created: true };
}

export function updateServicePrincipal(t: Tenant, id: string, patch: SpPatch, actor: Actor): ServicePrincipal {
  const s = t.servicePrincipal(id);
  if (!s) throw notFound(id);
  const changes: ModifiedProperty[] = [];
  const set = <K extends keyof SpPatch & keyof ServicePrincipal>(key: K, value: ServicePrincipal[K] | undefined) => {
    if (value === undefined) return;
    changes.push({ displayName: key[0]!.toUpperCase() + key.slice(1), oldValue: JSON.stringify(s[key]), newValue: JSON.stringify(value) });
    s[key] = value;
  };
  set("accountEnabled", patch.accountEnabled);
  set("appRoleAssignmentRequired", patch.appRoleAssignmentRequired);
  set("tags", patch.tags);
  set("notes", patch.notes);
  t.audit({ activity: "Update service principal", operationType: "Update", actor, targets: [spTarget(s, changes)] });
  return s;
}

/** Deleting a service principal removes every grant and app role assignment of (and to) it. */
export function deleteServicePrincipal(t: Tenant, id: string, actor: Actor): { grantsRemoved: number; assignmentsRemoved: number } {
  const s = t.servicePrincipal(id);
  if (!s) throw notFound(id);
  let grantsRemoved = 0;
  for (const g of [...t.state.grants.values()]) {
    if (g.clientId === id || g.resourceId === id) {
      t.state.grants.delete(g.id);
      grantsRemoved++;
    }
  }
  let assignmentsRemoved = 0;
  for (const a of [...t.state.appRoleAssignments.values()]) {
    if (a.principalId === id || a.resourceId === id) {
      t.state.appRoleAssignments.delete(a.id);
      assignmentsRemoved++;
    }
  }
  t.state.classifications.delete(id);
  t.state.servicePrincipals.delete(id);
  t.unindexServicePrincipal(s);
  t.audit({
    activity: "Delete service principal", operationType: "Delete", actor, targets: [spTarget(s)],
    additionalDetails: [
      { key: "AppId", value: s.appId },
      { key: "DelegatedPermissionGrantsRemoved", value: String(grantsRemoved) },
      { key: "AppRoleAssignmentsRemoved", value: String(assignmentsRemoved) },
    ],
  });
  return { grantsRemoved, assignmentsRemoved };
}
