import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SignedInUser } from "@/lib/auth/guards";
import { getGroup, getUser, listGroupUsers, listRoleAssignments, searchGroups, searchUsers } from "@/lib/graph/directory";
import { isGraphStatus } from "@/lib/graph/errors";
import { readAdminConsentRequestPolicy } from "@/lib/graph/policies";
import { consentWorkflowCapability, ENTRA_ROLE_NAMES } from "@/lib/roles";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import {
  APPROVERS_NOT_CHECKED,
  CHANGED_SINCE_PREVIEW,
  GRAPH_APP_PERMISSION_APPROVER_ROLES,
  graphAppPermissionApprovers,
  NO_GRAPH_APPROVER_WARNING,
  planWorkflow,
  reviewerKey,
  reviewersOf,
  workflowPolicyOf,
  workflowVersion,
  type ApproverFacts,
  type Reviewer,
  type WorkflowPlan,
  type WorkflowPolicy,
  type WorkflowSettings,
} from "./plan";
import type { WorkflowInput } from "./schema";

/**
 * The plan as previewed and saved: `basis` is the fingerprint of the workflow it was made from. Entra's
 * objection is `entraRefuses`, not `refusal`: a plan carrying a `refusal` key would read as a wizard Refusal.
 */
export type ConsentWorkflowPlan = Omit<WorkflowPlan, "refusal"> & { basis: string; warning: string | null; entraRefuses: string | null };

const withBasis = ({ refusal, ...plan }: WorkflowPlan, basis: string, warning: string | null): ConsentWorkflowPlan => ({ ...plan, basis, warning, entraRefuses: refusal });

export async function readWorkflowPolicy(client: Client): Promise<WorkflowPolicy> {
  return workflowPolicyOf(await readAdminConsentRequestPolicy(client));
}

/** Display names of reviewers, keyed by reviewerKey; a deleted user or group keeps its id. */
export async function reviewerNames(client: Client, reviewers: readonly Reviewer[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  await Promise.all(
    reviewers.map(async (reviewer) => {
      if (reviewer.kind === "role") {
        names.set(reviewerKey(reviewer), ENTRA_ROLE_NAMES[reviewer.id] ?? `directory role ${reviewer.id}`);
        return;
      }
      try {
        const found = reviewer.kind === "user" ? await getUser(client, reviewer.id, ["id", "displayName"]) : await getGroup(client, reviewer.id, ["id", "displayName"]);
        if (found.displayName) names.set(reviewerKey(reviewer), found.displayName);
      } catch (error) {
        if (!isGraphStatus(error, 404)) throw error;
        names.set(reviewerKey(reviewer), `${reviewer.id} (no longer in the directory)`);
      }
    }),
  );
  return names;
}

export type DirectoryHit = Reviewer & { name: string; detail: string };

/** Users and groups whose display name starts with `text`, and the directory roles the portal knows whose name contains it. */
async function searchDirectory(client: Client, text: string): Promise<DirectoryHit[]> {
  if (!text) return [];
  const [users, groups] = await Promise.all([searchUsers(client, text, ["id", "displayName", "userPrincipalName"], 10), searchGroups(client, text, ["id", "displayName"], 10)]);
  const roles = Object.entries(ENTRA_ROLE_NAMES)
    .filter(([, name]) => name.toLowerCase().includes(text.toLowerCase()))
    .map(([id, name]): DirectoryHit => ({ kind: "role", id, name, detail: "directory role" }));
  return [
    ...users.map((u): DirectoryHit => ({ kind: "user", id: (u.id ?? "").toLowerCase(), name: u.displayName ?? u.id ?? "", detail: u.userPrincipalName ?? "user" })),
    ...groups.map((g): DirectoryHit => ({ kind: "group", id: (g.id ?? "").toLowerCase(), name: g.displayName ?? g.id ?? "", detail: "group" })),
    ...roles,
  ];
}

/** Who holds Global Administrator or Privileged Role Administrator, and the members of the chosen groups. */
async function approverFacts(client: Client, reviewers: readonly Reviewer[]): Promise<ApproverFacts> {
  const roleIds = Object.values(GRAPH_APP_PERMISSION_APPROVER_ROLES);
  const holders = await Promise.all(
    roleIds.map(async (roleId) => {
      const assignments = await listRoleAssignments(client, roleId);
      return [roleId, assignments.flatMap((a) => (a.principalId ? [a.principalId.toLowerCase()] : []))] as const;
    }),
  );
  const groups = reviewers.filter((r) => r.kind === "group");
  const members = await Promise.all(
    groups.map(async (group) => {
      try {
        const users = await listGroupUsers(client, group.id, ["id"]);
        return [group.id, users.flatMap((u) => (u.id ? [u.id.toLowerCase()] : []))] as const;
      } catch (error) {
        if (!isGraphStatus(error, 404)) throw error;
        return [group.id, [] as string[]] as const;
      }
    }),
  );
  return { approverRoleHolders: new Map(holders), groupMembers: new Map(members) };
}

/** NO_GRAPH_APPROVER_WARNING when the workflow is turned on and nobody chosen could approve Microsoft Graph application permissions. */
async function approverWarning(client: Client, plan: WorkflowPlan, reviewers: readonly Reviewer[]): Promise<string | null> {
  if (!plan.body.isEnabled || plan.refusal) return null;
  return graphAppPermissionApprovers(reviewers, await approverFacts(client, reviewers)).length === 0 ? NO_GRAPH_APPROVER_WARNING : null;
}

/**
 * The workflow as it is, planned for the chosen settings. Refused when the admin's Entra role cannot
 * change it, when it is no longer the workflow previewed (the PUT replaces it whole), or when Entra would
 * not accept the settings.
 */
export async function loadConsentWorkflow({ graph, user }: WizardReadContext, input: Omit<WorkflowInput, "justification">): Promise<ConsentWorkflowPlan | Refusal> {
  const capability = consentWorkflowCapability(user.wids);
  if (!capability.allowed) return refuse(`Not with your role: ${capability.reason}`);
  const { client } = graph;
  const { basis, reviewer, ...settings } = input;
  const current = await readWorkflowPolicy(client);
  if (workflowVersion(current) !== basis) return refuse(CHANGED_SINCE_PREVIEW);
  const names = await reviewerNames(client, [...reviewersOf(current), ...reviewer]);
  const plan = planWorkflow(current, { ...settings, reviewers: reviewer }, names);
  if (plan.refusal) return refuse(plan.refusal);
  return withBasis(plan, basis, plan.changed ? await approverWarning(client, plan, reviewer) : null);
}

export type WorkflowToday = { current: WorkflowPolicy; settings: WorkflowSettings; names: Map<string, string>; hits: DirectoryHit[] };

/**
 * For the Choose step and the policy hub: the workflow today, the settings being chosen (today's when
 * none yet), the names of every reviewer in either, and the directory search's hits.
 */
export function readConsentWorkflowToday(user: SignedInUser, { chosen = null, search = "" }: { chosen?: WorkflowSettings | null; search?: string } = {}): Promise<WorkflowToday> {
  return readAsUser(user, async ({ client }) => {
    const current = await readWorkflowPolicy(client);
    const settings: WorkflowSettings = chosen ?? { ...current, reviewers: reviewersOf(current) };
    const names = await reviewerNames(client, [...reviewersOf(current), ...settings.reviewers]);
    return { current, settings, names, hits: await searchDirectory(client, search) };
  });
}

/**
 * For the Preview step: the same plan the action makes, with the fingerprint the form carries back. The
 * approver check only warns, so if it cannot be made the preview says that instead of failing.
 */
export function previewConsentWorkflow(user: SignedInUser, settings: WorkflowSettings): Promise<ConsentWorkflowPlan> {
  return readAsUser(user, async ({ client }) => {
    const current = await readWorkflowPolicy(client);
    const names = await reviewerNames(client, [...reviewersOf(current), ...settings.reviewers]);
    const plan = planWorkflow(current, settings, names);
    let warning: string | null;
    try {
      warning = await approverWarning(client, plan, settings.reviewers);
    } catch {
      warning = APPROVERS_NOT_CHECKED;
    }
    return withBasis(plan, workflowVersion(current), warning);
  });
}
