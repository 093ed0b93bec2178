import "server-only";
import { listAssignmentsHeldBy, removeAppRoleAssignment } from "@/lib/graph/app-role-assignments";
import type { GraphSession } from "@/lib/graph/client";
import { deleteGrant, findTenantWideGrant, getGrant, replaceGrantScope } from "@/lib/graph/grants";
import { deleteServicePrincipal } from "@/lib/graph/service-principals";
import { findServicePrincipal, scopesOf } from "../app-state";
import { blocked, type StepResult } from "../engine";
import { setSwitch, type AppChangeContext } from "../app-steps";
import { lockKeys } from "../engine/lock-keys";
import type { RevokePlan } from "./plan";

/**
 * Carries out a revoke plan with the admin's own token, each write an audited step of the change
 * engine: serialized with every other change to the same grant (a concurrent grant's scopes are kept:
 * PATCH sends what remains of the grant as it is inside the lock), read back, and something already
 * gone counts as unchanged, not failed. Steps the admin's role cannot do are reported blocked.
 */
export async function executeRevoke(context: AppChangeContext, plan: RevokePlan, appName: string): Promise<StepResult[]> {
  const { graph, appId } = context;

  if (plan.deleteServicePrincipal) {
    const label = `Delete ${appName} from the tenant`;
    if (plan.deleteServicePrincipal.blockedReason) return [blocked(label, plan.deleteServicePrincipal.blockedReason)];
    const step = await context.engine.runStep(context, {
      label,
      action: "servicePrincipal.delete",
      target: { type: "servicePrincipal", appId, id: plan.servicePrincipalId ?? undefined, name: appName },
      lock: lockKeys.servicePrincipal(appId),
      // What the app page shows afterwards ("users could consent again because …") is kept with the change itself.
      before: async () => ({
        servicePrincipalId: plan.servicePrincipalId,
        usersWithOwnConsent: plan.affectedUsers.map((u) => u.upn),
        usersThroughTenantWideGrant: plan.signedInUsers.map((u) => u.upn),
        assignments: plan.affectedAssignments.map((a) => a.name),
        consentAgain: plan.consentAgain,
      }),
      expect: { kind: "servicePrincipal", appId, present: false },
      apply: async () => {
        const sp = await findServicePrincipal(graph.client, appId);
        const deleted = sp ? await deleteServicePrincipal(graph.client, sp.id) : false;
        return deleted
          ? { value: null, changed: true, detail: "The service principal was deleted, with every consent and assignment of the app. Users must consent again if it is added back." }
          : { value: null, changed: false, detail: "The app was already gone from the tenant; nothing changed." };
      },
    });
    return [step.result];
  }

  const results: StepResult[] = [];
  if (plan.block) {
    const label = `Block ${appName}`;
    if (plan.block.blockedReason) return [blocked(label, plan.block.blockedReason)];
    // Sign-in off first: from then on nobody can consent, so no grant can come back while the rest is removed.
    if (plan.block.disablesSignIn) results.push((await setSwitch(context, appName, "accountEnabled", false, `Disable sign-in to ${appName}`, "prohibit.disableSignIn")).result);
    if (plan.block.requiresAssignment) {
      results.push((await setSwitch(context, appName, "appRoleAssignmentRequired", true, `Require assignment for ${appName}`, "prohibit.requireAssignment")).result);
    }
  }

  const blockedSteps = plan.appRoles
    .filter((change) => !change.notGranted && (change.blockedReason || !change.appRoleId))
    .map((change) => blocked(`Application permission ${change.permission.value} on ${change.resourceName}`, change.blockedReason ?? "Not available."));
  const clientId = plan.servicePrincipalId;
  if (!clientId || plan.changeCount === 0) {
    return blockedSteps.length > 0 ? blockedSteps : [{ label: "Nothing to change", status: "unchanged", detail: "Nothing you chose is granted now. No call was made." }];
  }

  for (const change of plan.scopes) {
    if (change.remove.length === 0) continue;
    const removing = change.remove.map((p) => p.value);
    const step = await context.engine.runStep(context, {
      label: `Delegated permissions on ${change.resourceName} for all users`,
      action: "revoke.delegated.allPrincipals",
      target: { type: "oauth2PermissionGrant", appId, id: change.grantId, name: `${appName} → ${change.resourceName}` },
      lock: lockKeys.delegatedGrant(clientId, change.resourceId),
      before: async () => ({ scope: (await findTenantWideGrant(graph.client, clientId, change.resourceId))?.scope ?? "" }),
      expect: { kind: "delegatedScopes", clientId, resourceId: change.resourceId, present: [], absent: removing },
      apply: async () => {
        const outcome = await removeFromTenantWideGrant(graph, clientId, change.resourceId, removing);
        const detail =
          outcome.removed.length === 0
            ? "Already removed; nothing changed."
            : outcome.deleted
              ? `Removed ${outcome.removed.join(", ")}. Nothing remained, so the tenant-wide grant was deleted.`
              : `Removed ${outcome.removed.join(", ")}. Still granted: ${outcome.remaining.join(", ")}.`;
        return { value: outcome, changed: outcome.removed.length > 0, detail };
      },
    });
    results.push(step.result);
  }

  for (const change of plan.appRoles) {
    if (change.notGranted || change.blockedReason || !change.appRoleId) continue;
    const { appRoleId, resourceId } = change;
    const step = await context.engine.runStep(context, {
      label: `Application permission ${change.permission.value} on ${change.resourceName}`,
      action: "revoke.applicationPermission",
      target: { type: "appRoleAssignment", appId, id: change.assignmentId ?? undefined, name: `${appName} → ${change.resourceName} ${change.permission.value}` },
      lock: lockKeys.appPermissions(clientId),
      before: async () => ({ assignmentId: change.assignmentId, appRoleId }),
      expect: { kind: "appPermission", clientId, resourceId, appRoleId, present: false },
      apply: async () => {
        const removed = await removeAppRole(graph, clientId, resourceId, appRoleId);
        return { value: removed, changed: removed, detail: removed ? "Removed." : "Already removed; nothing changed." };
      },
    });
    results.push(step.result);
  }

  for (const user of plan.users) {
    for (const grant of user.grants) {
      const step = await context.engine.runStep(context, {
        label: `${user.name}'s own consent on ${grant.resourceName}`,
        action: "revoke.delegated.principal",
        target: { type: "oauth2PermissionGrant", appId, id: grant.grantId, name: `${appName} → ${grant.resourceName} for ${user.upn}` },
        lock: lockKeys.grant(grant.grantId),
        before: async () => ({ principalId: user.principalId, scope: (await getGrant(graph.client, grant.grantId))?.scope ?? null }),
        expect: { kind: "grantGone", grantId: grant.grantId },
        apply: async () => {
          const deleted = await deleteGrant(graph.client, grant.grantId);
          return {
            value: deleted,
            changed: deleted,
            detail: deleted ? `Revoked ${grant.scopes.join(", ")}. ${user.name} will be asked to consent again.` : "Already revoked; nothing changed.",
          };
        },
      });
      results.push(step.result);
    }
  }
  return [...results, ...blockedSteps];
}

/**
 * Removes `scopes` from the tenant-wide grant of client → resource as it is right now: PATCH with the
 * scopes that remain (PATCH replaces the whole string), DELETE when none remain. Runs inside the grant's lock.
 */
async function removeFromTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string, scopes: string[]) {
  const removing = new Set(scopes.map((s) => s.toLowerCase()));
  const none = { grantId: null, removed: [] as string[], remaining: [] as string[], deleted: false };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const current = await findTenantWideGrant(graph.client, clientId, resourceId);
    if (!current) return none;
    const existing = scopesOf(current.scope);
    const removed = existing.filter((s) => removing.has(s.toLowerCase()));
    const remaining = existing.filter((s) => !removing.has(s.toLowerCase()));
    if (removed.length === 0) return { grantId: current.id, removed, remaining, deleted: false };
    if (remaining.length === 0) {
      if (await deleteGrant(graph.client, current.id)) return { grantId: current.id, removed, remaining, deleted: true };
      continue; // vanished meanwhile: re-read once
    }
    await replaceGrantScope(graph.client, current.id, remaining.join(" "));
    return { grantId: current.id, removed, remaining, deleted: false };
  }
  return none;
}

/** DELETE the app's assignment of `appRoleId` on the resource, found by re-reading; false when there is none. */
async function removeAppRole(graph: GraphSession, principalId: string, resourceId: string, appRoleId: string): Promise<boolean> {
  const found = (await listAssignmentsHeldBy(graph.client, principalId)).find((a) => a.appRoleId === appRoleId && a.resourceId === resourceId);
  return found ? removeAppRoleAssignment(graph.client, resourceId, found.id) : false;
}
