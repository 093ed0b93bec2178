import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import { explainFailure } from "@/lib/consent/engine/failure";
import { getGroup, getUser, listGroupUsers, listRoleAssignments, searchGroups, searchUsers } from "@/lib/graph/directory";
import { graphFailure, isGraphStatus } from "@/lib/graph/errors";
import { listDirectorySettings, readAdminConsentRequestPolicy, readDirectorySettingTemplate, readUserConsentPolicies } from "@/lib/graph/policies";
import { listPermissionClassifications, readDelegatedScopesOf } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { ENTRA_ROLE_NAMES } from "@/lib/roles";
import type { Classification, DelegatedScope } from "./classifications";
import { GRAPH_APP_PERMISSION_APPROVER_ROLES, parseReviewerQuery, reviewerKey, type ApproverFacts, type Reviewer, type WorkflowPolicy } from "./consent-workflow";
import { GROUP_CONSENT_TEMPLATE_ID, readGroupConsent, type DirectorySetting, type GroupConsentState } from "./group-consent";

/** Reads of the tenant's consent policies through Microsoft Graph, with the signed-in admin's token. */

export const readPermissionGrantPoliciesAssigned = readUserConsentPolicies;

export async function readWorkflowPolicy(client: Client): Promise<WorkflowPolicy> {
  const p = await readAdminConsentRequestPolicy(client);
  return {
    isEnabled: p.isEnabled ?? false,
    notifyReviewers: p.notifyReviewers ?? false,
    remindersEnabled: p.remindersEnabled ?? false,
    requestDurationInDays: p.requestDurationInDays ?? 30,
    reviewers: (p.reviewers ?? []).map((r) => ({ query: r.query ?? "", queryType: r.queryType ?? "MicrosoftGraph", queryRoot: r.queryRoot ?? null })),
  };
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

export function reviewersOf(policy: WorkflowPolicy): Reviewer[] {
  return policy.reviewers.flatMap((scope) => {
    const reviewer = parseReviewerQuery(scope);
    return reviewer ? [reviewer] : [];
  });
}

export type DirectoryHit = Reviewer & { name: string; detail: string };

/** Users and groups whose display name starts with `text`, and the directory roles the portal knows whose name contains it. */
export async function searchDirectory(client: Client, text: string): Promise<DirectoryHit[]> {
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
export async function approverFacts(client: Client, reviewers: readonly Reviewer[]): Promise<ApproverFacts> {
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

export async function readGraphDelegatedScopes(client: Client): Promise<{ spId: string; scopes: DelegatedScope[] }> {
  const { spId, scopes } = await readDelegatedScopesOf(client, MICROSOFT_GRAPH_APP_ID);
  return { spId, scopes: scopes.flatMap((s) => (s.id && s.value ? [{ id: s.id, value: s.value, type: s.type ?? "User" }] : [])) };
}

export async function readClassifications(client: Client): Promise<Classification[]> {
  return (await listPermissionClassifications(client, MICROSOFT_GRAPH_APP_ID)).map((c) => ({ id: c.id ?? "", permissionId: c.permissionId ?? "", permissionName: c.permissionName ?? null, classification: c.classification ?? "" }));
}

export async function readGroupConsentState(client: Client): Promise<GroupConsentState> {
  // A handful of objects per tenant: one page.
  const settings: DirectorySetting[] = (await listDirectorySettings(client)).map((setting) => ({
    id: setting.id ?? "",
    templateId: setting.templateId ?? "",
    displayName: setting.displayName ?? null,
    values: (setting.values ?? []).map((v) => ({ name: v.name ?? "", value: v.value ?? "" })),
  }));
  if (settings.some((s) => s.templateId.toLowerCase() === GROUP_CONSENT_TEMPLATE_ID)) return readGroupConsent(settings, true);
  // No setting object yet: does the tenant still have the template? Newer tenants do not.
  let templateAvailable = true;
  try {
    await readDirectorySettingTemplate(client, GROUP_CONSENT_TEMPLATE_ID);
  } catch (error) {
    const failure = graphFailure(error);
    if (!failure || failure.status === 403 || failure.status >= 500) throw error;
    templateAvailable = false;
  }
  return readGroupConsent(settings, templateAvailable);
}

export async function groupNames(client: Client, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids.filter((x): x is string => !!x))) {
    try {
      const group = await getGroup(client, id, ["id", "displayName"]);
      names.set(id, group.displayName ?? id);
    } catch (error) {
      if (!isGraphStatus(error, 404)) throw error;
      names.set(id, `${id} (no longer in the directory)`);
    }
  }
  return names;
}

/** A failed read or change in plain words: the change engine's one error mapper. */
export const failureInWords = (error: unknown, what: string): string => explainFailure(error, what);
