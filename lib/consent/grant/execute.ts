import "server-only";
import { assignAppRole, listAssignmentsHeldBy } from "@/lib/graph/app-role-assignments";
import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { createTenantWideGrant, findTenantWideGrant, replaceGrantScope } from "@/lib/graph/grants";
import { afterCreate } from "@/lib/graph/replication";
import { findServicePrincipal, scopesOf, type ServicePrincipalState } from "../app-state";
import { addServicePrincipal, type AppChangeContext } from "../app-steps";
import { lockKeys } from "../engine/lock-keys";
import { blocked, type StepResult } from "../engine";
import type { GrantPlan } from "./plan";

/**
 * Carries out a grant plan with the admin's own token: creates the service principal if missing
 * (waiting out replication), merges delegated scopes into the one tenant-wide grant per API, and adds
 * missing app role assignments — each an audited step of the change engine, serialized per target
 * and read back, so a concurrent admin's scopes are never lost and the result is what the tenant holds.
 * Steps the admin's Entra role cannot do are reported blocked, with the reason, never as "already granted".
 */
export async function executeGrant(context: AppChangeContext, plan: GrantPlan, appName: string): Promise<StepResult[]> {
  const { appId } = context;
  const blockedSteps = [
    ...plan.delegated.filter((d) => d.add.length > 0 && (d.blockedReason || !d.resource)).map((d) => blocked(`Delegated permissions on ${d.resourceName}`, d.blockedReason ?? "The API is not in the tenant.")),
    ...plan.appRoles
      .filter((r) => !r.alreadyAssigned && (r.blockedReason || !r.resource || !r.appRoleId))
      .map((r) => blocked(`Application permission ${r.permission.value} on ${r.resourceName}`, r.blockedReason ?? "Not available.")),
  ];
  if (plan.changeCount === 0) {
    return blockedSteps.length > 0 ? blockedSteps : [{ label: "Nothing to change", status: "unchanged", detail: "Everything you selected is already granted. No call was made." }];
  }

  const results: StepResult[] = [];
  let sp: ServicePrincipalState | null = await findServicePrincipal(context.graph.client, appId);
  if (!sp) {
    const created = await addServicePrincipal(context, appId, `Add ${appName} to the tenant`, appName);
    if (!created.value && isNoSuchApp(created.result)) {
      // Entra refuses to instantiate an appId no application anywhere has: no retry can change that.
      const reason = `No app with ID ${appId} exists in Microsoft Entra ID, so there is nothing to add or grant. If a person asked for it, deny their request; otherwise remove it from the catalog.`;
      return [{ ...created.result, status: "blocked", detail: `Microsoft Entra refused to add the app: ${reason}` }, ...blockedSteps, ...unfinished(plan, "The app does not exist.")];
    }
    results.push(created.result);
    if (!created.value) return [...results, ...blockedSteps, ...unfinished(plan, "The app is not in the tenant yet.")];
    sp = created.value;
  }
  const clientId = sp.id;

  for (const change of plan.delegated) {
    if (change.add.length === 0 || change.blockedReason || !change.resource) continue;
    const resource = change.resource;
    const wanted = change.add.map((p) => p.value);
    const step = await context.engine.runStep(context, {
      label: `Delegated permissions on ${resource.displayName} for all users`,
      action: "grant.delegated.allPrincipals",
      target: { type: "oauth2PermissionGrant", appId, id: change.existingGrantId ?? undefined, name: `${appName} → ${resource.displayName}` },
      lock: lockKeys.delegatedGrant(clientId, resource.id),
      before: async () => ({ scope: (await findTenantWideGrant(context.graph.client, clientId, resource.id))?.scope ?? "" }),
      expect: { kind: "delegatedScopes", clientId, resourceId: resource.id, present: wanted, absent: [] },
      apply: async () => {
        const added = await mergeTenantWideGrant(context.graph, clientId, resource.id, wanted);
        return { value: added, changed: added.length > 0, detail: added.length > 0 ? `Added ${added.join(", ")}.` : "Already granted; nothing changed." };
      },
    });
    results.push(step.result);
  }

  for (const change of plan.appRoles) {
    if (change.alreadyAssigned || change.blockedReason || !change.resource || !change.appRoleId) continue;
    const resource = change.resource;
    const appRoleId = change.appRoleId;
    const step = await context.engine.runStep(context, {
      label: `Application permission ${change.permission.value} on ${change.resourceName}`,
      action: "grant.applicationPermission",
      target: { type: "appRoleAssignment", appId, name: `${appName} → ${resource.displayName} ${change.permission.value}` },
      lock: lockKeys.appPermissions(clientId),
      before: async () => ({ assigned: (await heldAssignment(context.graph, clientId, resource.id, appRoleId)) !== null }),
      expect: { kind: "appPermission", clientId, resourceId: resource.id, appRoleId, present: true },
      apply: async () => {
        const created = await grantAppRole(context.graph, clientId, resource.id, appRoleId);
        return { value: created, changed: created, detail: created ? "Granted." : "Already granted; nothing changed." };
      },
    });
    results.push(step.result);
  }
  return [...results, ...blockedSteps];
}

function unfinished(plan: GrantPlan, reason: string): StepResult[] {
  return [
    ...plan.delegated.filter((d) => d.add.length > 0 && !d.blockedReason && d.resource).map((d) => ({ label: `Delegated permissions on ${d.resourceName}`, status: "blocked" as const, detail: reason })),
    ...plan.appRoles.filter((r) => !r.alreadyAssigned && !r.blockedReason && r.resource).map((r) => ({ label: `Application permission ${r.permission.value}`, status: "blocked" as const, detail: reason })),
  ];
}

/**
 * Creating a service principal sends nothing but a well-formed appId, so Graph's 400 Bad Request to it
 * means one thing: no application has that appId ("does not reference a valid application object").
 */
function isNoSuchApp(result: StepResult): boolean {
  return result.status === "failed" && result.detail.includes("(400 ");
}

/**
 * Adds `scopes` to the tenant-wide grant of client → resource as it is now: PATCH with existing + new
 * (PATCH replaces the whole string), or POST when there is none; a 409 on POST means one appeared
 * meanwhile: merge into it. Returns the scopes this call added. Runs inside the grant's lock.
 */
async function mergeTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string, scopes: string[]): Promise<string[]> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const current = await findTenantWideGrant(graph.client, clientId, resourceId);
    const existing = scopesOf(current?.scope);
    const have = new Set(existing.map((s) => s.toLowerCase()));
    const added = scopes.filter((s) => !have.has(s.toLowerCase()));
    if (current) {
      if (added.length > 0) await replaceGrantScope(graph.client, current.id, [...existing, ...added].join(" "));
      return added;
    }
    try {
      await afterCreate(() => createTenantWideGrant(graph.client, clientId, resourceId, added.join(" ")));
      return added;
    } catch (error) {
      if (!isGraphStatus(error, 409)) throw error;
    }
  }
  throw new Error("The tenant-wide grant kept changing while it was being updated.");
}

async function heldAssignment(graph: GraphSession, principalId: string, resourceId: string, appRoleId: string) {
  return (await listAssignmentsHeldBy(graph.client, principalId)).find((a) => a.appRoleId === appRoleId && a.resourceId === resourceId) ?? null;
}

/** POST appRoleAssignedTo unless already held; "already exists" (400/409) is success once the assignment is seen (S11). */
async function grantAppRole(graph: GraphSession, principalId: string, resourceId: string, appRoleId: string): Promise<boolean> {
  if (await heldAssignment(graph, principalId, resourceId, appRoleId)) return false;
  try {
    await afterCreate(() => assignAppRole(graph.client, resourceId, principalId, appRoleId));
    return true;
  } catch (error) {
    if (!isGraphStatus(error, 400) && !isGraphStatus(error, 409)) throw error;
    if (!(await heldAssignment(graph, principalId, resourceId, appRoleId))) throw error;
    return false;
  }
}
