import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import { AuditUnavailableError } from "@/lib/audit";
import { graphFailure, isGraphStatus } from "@/lib/graph/errors";
import { listAll } from "@/lib/graph/paging";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { ENTRA_ROLE_NAMES } from "@/lib/roles";
import type { Classification, DelegatedScope } from "./classifications";
import { GRAPH_APP_PERMISSION_APPROVER_ROLES, parseReviewerQuery, reviewerKey, type ApproverFacts, type Reviewer, type WorkflowPolicy } from "./consent-workflow";
import { GROUP_CONSENT_TEMPLATE_ID, readGroupConsent, type DirectorySetting, type GroupConsentState } from "./group-consent";

/** Reads of the tenant's consent policies through Microsoft Graph, with the signed-in admin's token. */

export const GRAPH_SP = `/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`;

export async function readPermissionGrantPoliciesAssigned(client: Client): Promise<string[]> {
  const policy = (await client.api("/policies/authorizationPolicy").get()) as {
    defaultUserRolePermissions?: { permissionGrantPoliciesAssigned?: string[] };
  };
  return policy.defaultUserRolePermissions?.permissionGrantPoliciesAssigned ?? [];
}

export async function readWorkflowPolicy(client: Client): Promise<WorkflowPolicy> {
  const p = (await client.api("/policies/adminConsentRequestPolicy").get()) as Partial<WorkflowPolicy>;
  return {
    isEnabled: p.isEnabled ?? false,
    notifyReviewers: p.notifyReviewers ?? false,
    remindersEnabled: p.remindersEnabled ?? false,
    requestDurationInDays: p.requestDurationInDays ?? 30,
    reviewers: (p.reviewers ?? []).map((r) => ({ query: r.query, queryType: r.queryType, queryRoot: r.queryRoot ?? null })),
  };
}

type Named = { id: string; displayName?: string | null; userPrincipalName?: string | null; mail?: string | null };

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
        const found = (await client.api(`/${reviewer.kind === "user" ? "users" : "groups"}/${reviewer.id}`).select("id,displayName").get()) as Named;
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

const odataString = (text: string) => text.replace(/'/g, "''");

/** Users and groups whose display name starts with `text`, and the directory roles the portal knows whose name contains it. */
export async function searchDirectory(client: Client, text: string): Promise<DirectoryHit[]> {
  if (!text) return [];
  const filter = `startswith(displayName,'${odataString(text)}')`;
  const [users, groups] = await Promise.all([
    client.api("/users").filter(filter).select("id,displayName,userPrincipalName").top(10).get() as Promise<{ value: Named[] }>,
    client.api("/groups").filter(filter).select("id,displayName").top(10).get() as Promise<{ value: Named[] }>,
  ]);
  const roles = Object.entries(ENTRA_ROLE_NAMES)
    .filter(([, name]) => name.toLowerCase().includes(text.toLowerCase()))
    .map(([id, name]): DirectoryHit => ({ kind: "role", id, name, detail: "directory role" }));
  return [
    ...users.value.map((u): DirectoryHit => ({ kind: "user", id: u.id.toLowerCase(), name: u.displayName ?? u.id, detail: u.userPrincipalName ?? "user" })),
    ...groups.value.map((g): DirectoryHit => ({ kind: "group", id: g.id.toLowerCase(), name: g.displayName ?? g.id, detail: "group" })),
    ...roles,
  ];
}

/** Who holds Global Administrator or Privileged Role Administrator, and the members of the chosen groups. */
export async function approverFacts(client: Client, reviewers: readonly Reviewer[]): Promise<ApproverFacts> {
  const roleIds = Object.values(GRAPH_APP_PERMISSION_APPROVER_ROLES);
  const holders = await Promise.all(
    roleIds.map(async (roleId) => {
      const assignments = await listAll<{ principalId: string }>(client, `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${roleId}'`);
      return [roleId, assignments.map((a) => a.principalId.toLowerCase())] as const;
    }),
  );
  const groups = reviewers.filter((r) => r.kind === "group");
  const members = await Promise.all(
    groups.map(async (group) => {
      try {
        const users = await listAll<{ id: string }>(client, `/groups/${group.id}/transitiveMembers/microsoft.graph.user?$select=id`);
        return [group.id, users.map((u) => u.id.toLowerCase())] as const;
      } catch (error) {
        if (!isGraphStatus(error, 404)) throw error;
        return [group.id, [] as string[]] as const;
      }
    }),
  );
  return { approverRoleHolders: new Map(holders), groupMembers: new Map(members) };
}

export async function readGraphDelegatedScopes(client: Client): Promise<{ spId: string; scopes: DelegatedScope[] }> {
  const sp = (await client.api(GRAPH_SP).select("id,oauth2PermissionScopes").get()) as { id: string; oauth2PermissionScopes?: DelegatedScope[] };
  return { spId: sp.id, scopes: (sp.oauth2PermissionScopes ?? []).map((s) => ({ id: s.id, value: s.value, type: s.type })) };
}

export async function readClassifications(client: Client): Promise<Classification[]> {
  return listAll<Classification>(client, `${GRAPH_SP}/delegatedPermissionClassifications`);
}

export async function readGroupConsentState(client: Client): Promise<GroupConsentState> {
  // A handful of objects per tenant: one page.
  const settings = ((await client.api("/settings").version("beta").get()) as { value: DirectorySetting[] }).value;
  if (settings.some((s) => s.templateId.toLowerCase() === GROUP_CONSENT_TEMPLATE_ID)) return readGroupConsent(settings, true);
  // No setting object yet: does the tenant still have the template? Newer tenants do not.
  let templateAvailable = true;
  try {
    await client.api(`/directorySettingTemplates/${GROUP_CONSENT_TEMPLATE_ID}`).version("beta").get();
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
      const group = (await client.api(`/groups/${id}`).select("id,displayName").get()) as Named;
      names.set(id, group.displayName ?? id);
    } catch (error) {
      if (!isGraphStatus(error, 404)) throw error;
      names.set(id, `${id} (no longer in the directory)`);
    }
  }
  return names;
}

/**
 * A failed read or change in plain words (never Graph's raw message). `what` finishes the sentence
 * "your Entra role does not allow you to …".
 */
export function failureInWords(error: unknown, what: string): string {
  if (error instanceof AuditUnavailableError) return error.message;
  const failure = graphFailure(error);
  if (!failure) return "Something went wrong on the portal's side. Nothing more was changed; try again in a moment.";
  if (failure.status === 401) return "Your sign-in to Microsoft Graph has expired. Sign in again and retry.";
  if (failure.status === 403) return `Microsoft Entra refused: your Entra role does not allow you to ${what}.`;
  if (failure.status === 404) return "Microsoft Graph could not find what this change needs (it may have just been deleted). Reload the page.";
  if (failure.status === 409) return "Someone changed this at the same time. Reload the page to see the current setting.";
  if (failure.status === 429 || failure.status >= 500) return "Microsoft Graph is busy or unavailable right now. Wait a minute and try again.";
  return `Microsoft Graph did not accept the request (${failure.code}).`;
}
