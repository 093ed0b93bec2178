import { badRequest, GraphError, notFound } from "./errors";
import { newGuid } from "./ids";
import type { Tenant } from "./tenant";
import type { Actor, PermissionGrantConditionSet, PermissionGrantPolicy } from "./types";

const target = (p: PermissionGrantPolicy, name: string, oldValue: unknown, newValue: unknown) => ({
  id: p.id, displayName: p.displayName, type: "Policy",
  modifiedProperties: [{ displayName: name, oldValue: oldValue === null ? null : JSON.stringify(oldValue), newValue: newValue === null ? null : JSON.stringify(newValue) }],
});

/** Custom permission grant policies (ids starting "microsoft-" are Microsoft's and read-only). */
export function createPermissionGrantPolicy(t: Tenant, input: { id: string; displayName: string; description: string }, actor: Actor): PermissionGrantPolicy {
  if (input.id.toLowerCase().startsWith("microsoft-")) throw badRequest("Permission grant policy ids starting with 'microsoft-' are reserved.");
  if (t.state.permissionGrantPolicies.has(input.id)) {
    throw new GraphError(409, "Request_MultipleObjectsWithSameKeyValue", `A permission grant policy with id '${input.id}' already exists.`);
  }
  const p: PermissionGrantPolicy = { ...input, includeAllPreApprovedApplications: false, resourceScopeType: "tenant", includes: [], excludes: [] };
  t.state.permissionGrantPolicies.set(p.id, p);
  t.audit({ activity: "Add permission grant policy", category: "Policy", operationType: "Add", actor, targets: [target(p, "DisplayName", null, p.displayName)] });
  return p;
}

export function addConditionSet(t: Tenant, policyId: string, which: "includes" | "excludes", c: Omit<PermissionGrantConditionSet, "id">, actor: Actor): PermissionGrantConditionSet {
  const p = t.state.permissionGrantPolicies.get(policyId);
  if (!p) throw notFound(policyId);
  if (p.id.startsWith("microsoft-")) throw badRequest("Microsoft's built-in permission grant policies cannot be changed.");
  const set: PermissionGrantConditionSet = { id: newGuid(), ...c };
  p[which].push(set);
  t.audit({ activity: "Update permission grant policy", category: "Policy", operationType: "Update", actor, targets: [target(p, which, null, set)] });
  return set;
}

export function deletePermissionGrantPolicy(t: Tenant, policyId: string, actor: Actor): void {
  const p = t.state.permissionGrantPolicies.get(policyId);
  if (!p) throw notFound(policyId);
  if (p.id.startsWith("microsoft-")) throw badRequest("Microsoft's built-in permission grant policies cannot be deleted.");
  t.state.permissionGrantPolicies.delete(policyId);
  t.audit({ activity: "Delete permission grant policy", category: "Policy", operationType: "Delete", actor, targets: [target(p, "DisplayName", p.displayName, null)] });
}
