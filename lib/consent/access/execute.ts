import "server-only";
import { assignAppRole, listAssignmentsTo, removeAppRoleAssignment } from "@/lib/graph/app-role-assignments";
import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import type { AccessPlan } from "./plan";
import { blocked, type StepResult } from "../engine";
import { setSwitch, type AppChangeContext, type Switch } from "../app-steps";
import { lockKeys } from "../engine/lock-keys";

/**
 * Carries out an access plan with the admin's own token: assignments first (so requiring assignment
 * never locks out someone being assigned in the same run), then the service principal's switches, each
 * an audited step of the change engine: serialized per app across instances, each PATCH preceded by a
 * fresh read inside the lock so it only sends what still differs and keeps every other tag, then read back.
 */
export async function executeAccess(context: AppChangeContext, plan: AccessPlan, appName: string): Promise<StepResult[]> {
  const { graph, appId } = context;
  const spId = plan.servicePrincipalId;
  const switches: { key: Switch; changes: boolean; label: string; action: string; wanted: boolean }[] = [
    { key: "appRoleAssignmentRequired", changes: plan.assignmentRequired.changes, label: plan.assignmentRequired.to ? "Require user assignment" : "Stop requiring user assignment", action: "access.assignmentRequired", wanted: plan.assignmentRequired.to },
    { key: "accountEnabled", changes: plan.signInEnabled.changes, label: plan.signInEnabled.to ? "Enable sign-in" : "Disable sign-in", action: "access.signIn", wanted: plan.signInEnabled.to },
    { key: "tags", changes: plan.hidden.changes, label: plan.hidden.to ? "Hide the app from users (HideApp)" : "Show the app to users", action: "access.visibility", wanted: plan.hidden.to },
  ];
  if (!spId) return [blocked(`Access to ${appName}`, `${appName} is not in your tenant.`)];
  if (plan.unknown.length > 0) return [blocked(`Access to ${appName}`, `Not found in your tenant: ${plan.unknown.join(", ")}.`)];
  const blockedSteps = plan.servicePrincipalBlockedReason ? switches.filter((c) => c.changes).map((c) => blocked(c.label, plan.servicePrincipalBlockedReason!)) : [];
  if (plan.changeCount === 0) {
    return blockedSteps.length > 0 ? blockedSteps : [{ label: "Nothing to change", status: "unchanged", detail: "Everything you chose is already so. No call was made." }];
  }
  const results: StepResult[] = [];

  for (const entry of plan.assign) {
    if (entry.alreadyAssigned) continue;
    const { principal, appRoleId } = entry;
    const step = await context.engine.runStep(context, {
      label: `Assign ${principal.displayName} (${principal.type === "Group" ? "group" : "user"})`,
      action: "access.assign",
      target: { type: "appRoleAssignment", appId, name: `${principal.displayName} → ${appName} (${entry.appRoleName})` },
      lock: lockKeys.assignment(spId, principal.id),
      before: async () => null,
      expect: { kind: "assignment", servicePrincipalId: spId, principalId: principal.id, present: true },
      apply: async () => {
        const created = await assign(graph, spId, principal.id, appRoleId);
        return { value: created, changed: created, detail: created ? `Assigned with ${entry.appRoleName}.` : "Already assigned; nothing changed." };
      },
    });
    results.push(step.result);
  }

  for (const entry of plan.unassign) {
    const step = await context.engine.runStep(context, {
      label: `Unassign ${entry.name} (${entry.type === "Group" ? "group" : "user"})`,
      action: "access.unassign",
      target: { type: "appRoleAssignment", appId, id: entry.assignmentId, name: `${entry.name} → ${appName}` },
      lock: lockKeys.assignment(spId, entry.principalId),
      before: async () => ({ assignmentId: entry.assignmentId, principalId: entry.principalId, principalType: entry.type }),
      expect: { kind: "assignment", servicePrincipalId: spId, principalId: entry.principalId, present: false },
      apply: async () => {
        const removed = await removeAppRoleAssignment(graph.client, spId, entry.assignmentId);
        return { value: removed, changed: removed, detail: removed ? "Unassigned." : "Already unassigned; nothing changed." };
      },
    });
    results.push(step.result);
  }

  if (!plan.servicePrincipalBlockedReason) {
    for (const change of switches) {
      if (!change.changes) continue;
      const step = await setSwitch(context, appName, change.key, change.wanted, change.label, change.action);
      results.push(step.result);
    }
  }
  return [...results, ...blockedSteps];
}


/** POST appRoleAssignedTo; Graph answers a duplicate with 400 ("already exists"): success once it is seen. */
async function assign(graph: GraphSession, spId: string, principalId: string, appRoleId: string): Promise<boolean> {
  try {
    await assignAppRole(graph.client, spId, principalId, appRoleId);
    return true;
  } catch (error) {
    if (!isGraphStatus(error, 400) && !isGraphStatus(error, 409)) throw error;
    const found = (await listAssignmentsTo(graph.client, spId)).find((a) => a.principalId === principalId && a.appRoleId === appRoleId);
    if (!found) throw error;
    return false;
  }
}
