import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { findServicePrincipal, readAppState, scopesOf, type AppState } from "./app-state";
import { planRevoke, type RevokePlan, type RevokeSelection } from "./revoke-plan";
import { auditedStep, type ChangeContext, type StepResult } from "./steps";

type RawGrant = { id: string; scope: string; consentType: string; principalId: string | null; resourceId: string };
type RawAssignment = { id: string; appRoleId: string; resourceId: string };

/**
 * Carries out a revoke plan with the admin's own token. Every Graph write is its own audited step, and
 * each re-reads the tenant right before writing: scopes another admin added meanwhile are kept (PATCH
 * sends what remains of the grant as it is now), and something already gone counts as done, not failed.
 */
export async function executeRevoke(context: ChangeContext, plan: RevokePlan, appName: string): Promise<StepResult[]> {
  const { graph, appId } = context;
  const results: StepResult[] = [];

  if (plan.deleteServicePrincipal) {
    const label = `Delete ${appName} from the tenant`;
    if (plan.deleteServicePrincipal.blockedReason) return [{ label, status: "skipped", detail: plan.deleteServicePrincipal.blockedReason }];
    const step = await auditedStep(
      context,
      {
        action: "servicePrincipal.delete",
        target: { type: "servicePrincipal", appId, id: plan.servicePrincipalId ?? undefined, name: appName },
        before: { servicePrincipalId: plan.servicePrincipalId, usersWithOwnConsent: plan.affectedUsers.map((u) => u.upn), assignments: plan.affectedAssignments.length },
        label,
      },
      async () => {
        const sp = await findServicePrincipal(graph.client, appId);
        if (!sp) return { value: null, after: null, status: "unchanged", detail: "The app was already gone from the tenant; nothing changed." };
        try {
          await graph.client.api(`/servicePrincipals/${sp.id}`).delete();
        } catch (error) {
          if (!isGraphStatus(error, 404)) throw error;
          return { value: null, after: null, status: "unchanged", detail: "The app was already gone from the tenant; nothing changed." };
        }
        return {
          value: null,
          after: null,
          status: "done",
          detail: "The service principal was deleted, with every consent and assignment of the app. Users must consent again if it is added back.",
        };
      },
    );
    return [step.result];
  }

  const clientId = plan.servicePrincipalId;
  if (!clientId || plan.changeCount === 0) {
    return [{ label: "Nothing to change", status: "unchanged", detail: "Nothing you chose is granted now. No call was made." }];
  }

  for (const change of plan.scopes) {
    if (change.remove.length === 0) continue;
    const removing = change.remove.map((p) => p.value);
    const step = await auditedStep(
      context,
      {
        action: "revoke.delegated.allPrincipals",
        target: { type: "oauth2PermissionGrant", appId, id: change.grantId, name: `${appName} → ${change.resourceName}` },
        before: { scope: change.existing.join(" ") },
        label: `Delegated permissions on ${change.resourceName} for all users`,
      },
      async () => {
        const outcome = await removeFromTenantWideGrant(graph, clientId, change.resourceId, removing);
        const detail =
          outcome.removed.length === 0
            ? "Already removed; nothing changed."
            : outcome.deleted
              ? `Removed ${outcome.removed.join(", ")}. Nothing remained, so the tenant-wide grant was deleted.`
              : `Removed ${outcome.removed.join(", ")}. Still granted: ${outcome.remaining.join(", ")}.`;
        return { value: outcome, after: outcome.deleted ? null : { grantId: outcome.grantId, scope: outcome.remaining.join(" ") }, status: outcome.removed.length > 0 ? "done" : "unchanged", detail };
      },
    );
    results.push(step.result);
  }

  for (const change of plan.appRoles) {
    const label = `Application permission ${change.permission.value} on ${change.resourceName}`;
    if (change.notGranted) continue;
    if (change.blockedReason || !change.appRoleId) {
      results.push({ label, status: "skipped", detail: change.blockedReason ?? "Not available." });
      continue;
    }
    const { appRoleId, resourceId } = change;
    const step = await auditedStep(
      context,
      {
        action: "revoke.applicationPermission",
        target: { type: "appRoleAssignment", appId, id: change.assignmentId ?? undefined, name: `${appName} → ${change.resourceName} ${change.permission.value}` },
        before: { assignmentId: change.assignmentId, appRoleId },
        label,
      },
      async () => {
        const removed = await removeAppRole(graph, clientId, resourceId, appRoleId);
        return { value: removed, after: null, status: removed ? "done" : "unchanged", detail: removed ? "Removed." : "Already removed; nothing changed." };
      },
    );
    results.push(step.result);
  }

  for (const user of plan.users) {
    for (const grant of user.grants) {
      const step = await auditedStep(
        context,
        {
          action: "revoke.delegated.principal",
          target: { type: "oauth2PermissionGrant", appId, id: grant.grantId, name: `${appName} → ${grant.resourceName} for ${user.upn}` },
          before: { principalId: user.principalId, scope: grant.scopes.join(" ") },
          label: `${user.name}'s own consent on ${grant.resourceName}`,
        },
        async () => {
          const deleted = await deleteGrant(graph, grant.grantId);
          return {
            value: deleted,
            after: null,
            status: deleted ? "done" : "unchanged",
            detail: deleted ? `Revoked ${grant.scopes.join(", ")}. ${user.name} will be asked to consent again.` : "Already revoked; nothing changed.",
          };
        },
      );
      results.push(step.result);
    }
  }
  return results;
}

async function currentTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string): Promise<RawGrant | null> {
  const grants: { value: RawGrant[] } = await graph.client
    .api("/oauth2PermissionGrants")
    .filter(`clientId eq '${clientId}' and consentType eq 'AllPrincipals' and resourceId eq '${resourceId}'`)
    .get();
  return grants.value[0] ?? null;
}

/**
 * Removes `scopes` from the tenant-wide grant of client → resource as it is right now: PATCH with the
 * scopes that remain (PATCH replaces the whole string), DELETE when none remain. A grant that vanished
 * meanwhile (404) is re-read once.
 */
async function removeFromTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string, scopes: string[]) {
  const removing = new Set(scopes.map((s) => s.toLowerCase()));
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const current = await currentTenantWideGrant(graph, clientId, resourceId);
    if (!current) return { grantId: null, removed: [] as string[], remaining: [] as string[], deleted: false };
    const existing = scopesOf(current.scope);
    const removed = existing.filter((s) => removing.has(s.toLowerCase()));
    const remaining = existing.filter((s) => !removing.has(s.toLowerCase()));
    if (removed.length === 0) return { grantId: current.id, removed, remaining, deleted: false };
    try {
      if (remaining.length === 0) await graph.client.api(`/oauth2PermissionGrants/${current.id}`).delete();
      else await graph.client.api(`/oauth2PermissionGrants/${current.id}`).patch({ scope: remaining.join(" ") });
      return { grantId: current.id, removed, remaining, deleted: remaining.length === 0 };
    } catch (error) {
      if (!isGraphStatus(error, 404)) throw error;
    }
  }
  return { grantId: null, removed: [] as string[], remaining: [] as string[], deleted: false };
}

/** DELETE the app's assignment of `appRoleId` on the resource, found by re-reading; false when there is none. */
async function removeAppRole(graph: GraphSession, principalId: string, resourceId: string, appRoleId: string): Promise<boolean> {
  const existing: { value: RawAssignment[] } = await graph.client.api(`/servicePrincipals/${principalId}/appRoleAssignments`).get();
  const found = existing.value.find((a) => a.appRoleId === appRoleId && a.resourceId === resourceId);
  if (!found) return false;
  try {
    await graph.client.api(`/servicePrincipals/${resourceId}/appRoleAssignedTo/${found.id}`).delete();
    return true;
  } catch (error) {
    if (isGraphStatus(error, 404)) return false;
    throw error;
  }
}

/** DELETE one grant; 404 means someone else revoked it already. */
async function deleteGrant(graph: GraphSession, grantId: string): Promise<boolean> {
  try {
    await graph.client.api(`/oauth2PermissionGrants/${grantId}`).delete();
    return true;
  } catch (error) {
    if (isGraphStatus(error, 404)) return false;
    throw error;
  }
}

/** Reads the tenant and plans a revoke: the same computation for the preview page and the action. */
export async function loadRevokePlan(graph: GraphSession, adminWids: readonly string[], appId: string, selection: RevokeSelection): Promise<{ state: AppState; plan: RevokePlan }> {
  const state = await readAppState(graph, appId);
  return { state, plan: planRevoke({ selection, state, adminWids }) };
}
