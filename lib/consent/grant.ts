import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { afterCreate } from "@/lib/graph/replication";
import { findServicePrincipal, scopesOf, type ServicePrincipalState } from "./app-state";
import type { GrantPlan } from "./grant-plan";
import { auditedStep, type ChangeContext, type StepResult } from "./steps";

type RawGrant = { id: string; scope: string };

/**
 * Carries out a grant plan with the admin's own token: creates the service principal if missing
 * (waiting out replication), merges delegated scopes into the one tenant-wide grant per API (re-read
 * just before writing, so a concurrent admin's scopes are kept), and adds missing app role
 * assignments. Every write is its own audited step; nothing is granted twice.
 */
export async function executeGrant(context: ChangeContext, plan: GrantPlan, appName: string): Promise<StepResult[]> {
  const { graph, appId } = context;
  const results: StepResult[] = [];
  if (plan.changeCount === 0) {
    return [{ label: "Nothing to change", status: "unchanged", detail: "Everything you selected is already granted. No call was made." }];
  }

  let sp: ServicePrincipalState | null = await findServicePrincipal(graph.client, appId);
  if (!sp) {
    const created = await auditedStep(
      context,
      { action: "servicePrincipal.create", target: { type: "servicePrincipal", appId, name: appName }, before: null, label: `Add ${appName} to the tenant` },
      async () => {
        const value = await createServicePrincipal(graph, appId);
        return { value, after: { id: value.id, appId }, status: "done", detail: `Service principal ${value.id} created.` };
      },
    );
    results.push(created.result);
    sp = created.value;
    if (!sp) return [...results, ...skippedRest(plan, "The app is not in the tenant yet.")];
  }

  for (const change of plan.delegated) {
    if (change.blockedReason || !change.resource) {
      if (change.add.length > 0) results.push({ label: `Delegated permissions on ${change.resourceName}`, status: "skipped", detail: change.blockedReason ?? "" });
      continue;
    }
    const resource = change.resource;
    const clientId = sp.id;
    const wanted = change.add.map((p) => p.value);
    const step = await auditedStep(
      context,
      {
        action: "grant.delegated.allPrincipals",
        target: { type: "oauth2PermissionGrant", appId, id: change.existingGrantId ?? undefined, name: `${appName} → ${resource.displayName}` },
        before: { scope: change.existing.join(" ") },
        label: `Delegated permissions on ${resource.displayName} for all users`,
      },
      async () => {
        const outcome = await mergeTenantWideGrant(graph, clientId, resource.id, wanted);
        return {
          value: outcome,
          after: { grantId: outcome.grantId, scope: outcome.scope },
          status: outcome.added.length > 0 ? "done" : "unchanged",
          detail: outcome.added.length > 0 ? `Added ${outcome.added.join(", ")}.` : "Already granted; nothing changed.",
        };
      },
    );
    results.push(step.result);
  }

  for (const change of plan.appRoles) {
    const label = `Application permission ${change.permission.value} on ${change.resourceName}`;
    if (change.alreadyAssigned) continue;
    if (change.blockedReason || !change.resource || !change.appRoleId) {
      results.push({ label, status: "skipped", detail: change.blockedReason ?? "Not available." });
      continue;
    }
    const resource = change.resource;
    const appRoleId = change.appRoleId;
    const principalId = sp.id;
    const step = await auditedStep(
      context,
      { action: "grant.applicationPermission", target: { type: "appRoleAssignment", appId, name: `${appName} → ${resource.displayName} ${change.permission.value}` }, before: null, label },
      async () => {
        const assignment = await assignAppRole(graph, principalId, resource.id, appRoleId);
        return { value: assignment, after: { assignmentId: assignment.id, appRoleId }, status: assignment.created ? "done" : "unchanged", detail: assignment.created ? "Granted." : "Already granted; nothing changed." };
      },
    );
    results.push(step.result);
  }
  return results;
}

function skippedRest(plan: GrantPlan, reason: string): StepResult[] {
  return [
    ...plan.delegated.filter((d) => d.add.length > 0).map((d) => ({ label: `Delegated permissions on ${d.resourceName}`, status: "skipped" as const, detail: reason })),
    ...plan.appRoles.filter((r) => !r.alreadyAssigned).map((r) => ({ label: `Application permission ${r.permission.value}`, status: "skipped" as const, detail: reason })),
  ];
}

/** POST /servicePrincipals; 409 means another admin was faster: use theirs. Then wait until it is visible (S12). */
export async function createServicePrincipal(graph: GraphSession, appId: string): Promise<ServicePrincipalState> {
  let id: string;
  try {
    const created: { id: string } = await graph.client.api("/servicePrincipals").post({ appId });
    id = created.id;
  } catch (error) {
    if (!isGraphStatus(error, 409)) throw error;
    const existing = await findServicePrincipal(graph.client, appId);
    if (!existing) throw error;
    return existing;
  }
  await afterCreate(() => graph.client.api(`/servicePrincipals/${id}`).select(["id"]).get());
  const sp = await findServicePrincipal(graph.client, appId);
  return sp ?? { id, appId, displayName: appId, accountEnabled: true, appRoleAssignmentRequired: false, tags: [], publisherName: null, verifiedPublisher: null };
}

async function currentTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string): Promise<RawGrant | null> {
  const grants: { value: (RawGrant & { consentType: string; resourceId: string })[] } = await graph.client
    .api("/oauth2PermissionGrants")
    .filter(`clientId eq '${clientId}' and consentType eq 'AllPrincipals' and resourceId eq '${resourceId}'`)
    .get();
  return grants.value[0] ?? null;
}

/**
 * Adds `scopes` to the tenant-wide grant of client → resource: PATCH with existing + new (PATCH replaces
 * the whole string), or POST when there is none; a 409 on POST means one appeared meanwhile: merge into it.
 */
async function mergeTenantWideGrant(graph: GraphSession, clientId: string, resourceId: string, scopes: string[]) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const current = await currentTenantWideGrant(graph, clientId, resourceId);
    const existing = scopesOf(current?.scope);
    const have = new Set(existing.map((s) => s.toLowerCase()));
    const added = scopes.filter((s) => !have.has(s.toLowerCase()));
    const scope = [...existing, ...added].join(" ");
    if (current) {
      if (added.length > 0) await graph.client.api(`/oauth2PermissionGrants/${current.id}`).patch({ scope });
      return { grantId: current.id, scope, added };
    }
    try {
      const created: RawGrant = await afterCreate(() =>
        graph.client.api("/oauth2PermissionGrants").post({ clientId, consentType: "AllPrincipals", resourceId, scope }),
      );
      return { grantId: created.id, scope, added };
    } catch (error) {
      if (!isGraphStatus(error, 409)) throw error;
    }
  }
  throw new Error("The tenant-wide grant kept changing while it was being updated.");
}

/** POST appRoleAssignedTo; "already exists" (400) is success once the assignment is seen (S11). */
async function assignAppRole(graph: GraphSession, principalId: string, resourceId: string, appRoleId: string): Promise<{ id: string; created: boolean }> {
  try {
    const created: { id: string } = await afterCreate(() =>
      graph.client.api(`/servicePrincipals/${resourceId}/appRoleAssignedTo`).post({ principalId, resourceId, appRoleId }),
    );
    return { id: created.id, created: true };
  } catch (error) {
    if (!isGraphStatus(error, 400) && !isGraphStatus(error, 409)) throw error;
    const existing: { value: { id: string; appRoleId: string; resourceId: string }[] } = await graph.client.api(`/servicePrincipals/${principalId}/appRoleAssignments`).get();
    const found = existing.value.find((a) => a.appRoleId === appRoleId && a.resourceId === resourceId);
    if (!found) throw error;
    return { id: found.id, created: false };
  }
}
