import type { Client } from "@microsoft/microsoft-graph-client";
import { listAssignmentsHeldBy, listAssignmentsTo } from "@/lib/graph/app-role-assignments";
import { findTenantWideGrant, getGrant } from "@/lib/graph/grants";
import { listDirectorySettings, readAdminConsentRequestPolicy, readUserConsentPolicies, type SettingValues } from "@/lib/graph/policies";
import { findServicePrincipalByAppId, listPermissionClassifications } from "@/lib/graph/service-principals";

/**
 * What a change means the tenant to hold afterwards, as plain data: the runner reads it back through
 * Graph right after the write (inside the target's lock), and reconciliation reads it again later for
 * an intent whose outcome could not be recorded. The audit `after` is what this read returns, never
 * what was meant.
 */
export type Expectation =
  | { kind: "delegatedScopes"; clientId: string; resourceId: string; present: string[]; absent: string[] }
  | { kind: "appPermission"; clientId: string; resourceId: string; appRoleId: string; present: boolean }
  | { kind: "servicePrincipal"; appId: string; present: boolean; accountEnabled?: boolean; appRoleAssignmentRequired?: boolean; hidden?: boolean }
  | { kind: "grantGone"; grantId: string }
  | { kind: "assignment"; servicePrincipalId: string; principalId: string; present: boolean }
  | { kind: "userConsentPolicies"; assigned: string[] }
  | { kind: "consentWorkflow"; policy: WorkflowSettings }
  | { kind: "classification"; resourceAppId: string; permissionId: string; present: boolean }
  | { kind: "directorySetting"; templateId: string; values: SettingValues };

export type WorkflowSettings = {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: { query: string; queryType: string; queryRoot: string | null }[];
};

/** What the tenant holds for an expectation: `holds` says whether it is what was meant, `state` goes in the audit row. */
export type ReadBack = { holds: boolean; state: unknown };

const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
const HIDE_APP = "HideApp";

export async function readBack(client: Client, expected: Expectation): Promise<ReadBack> {
  switch (expected.kind) {
    case "delegatedScopes": {
      const grant = await findTenantWideGrant(client, expected.clientId, expected.resourceId);
      const scopes = (grant?.scope ?? "").split(" ").filter(Boolean);
      const held = lower(scopes);
      const holds = expected.present.every((s) => held.has(s.toLowerCase())) && expected.absent.every((s) => !held.has(s.toLowerCase()));
      return { holds, state: grant ? { grantId: grant.id, scope: scopes.join(" ") } : null };
    }
    case "appPermission": {
      const held = (await listAssignmentsHeldBy(client, expected.clientId)).find((a) => a.resourceId === expected.resourceId && a.appRoleId === expected.appRoleId);
      return { holds: !!held === expected.present, state: held ? { assignmentId: held.id, appRoleId: held.appRoleId } : null };
    }
    case "servicePrincipal": {
      const sp = await findServicePrincipalByAppId(client, expected.appId);
      if (!sp) return { holds: !expected.present, state: null };
      const state = { id: sp.id, accountEnabled: sp.accountEnabled ?? true, appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false, hidden: (sp.tags ?? []).includes(HIDE_APP) };
      const holds =
        expected.present &&
        (expected.accountEnabled === undefined || state.accountEnabled === expected.accountEnabled) &&
        (expected.appRoleAssignmentRequired === undefined || state.appRoleAssignmentRequired === expected.appRoleAssignmentRequired) &&
        (expected.hidden === undefined || state.hidden === expected.hidden);
      return { holds, state };
    }
    case "grantGone": {
      const grant = await getGrant(client, expected.grantId);
      return { holds: grant === null, state: grant ? { grantId: grant.id, scope: grant.scope } : null };
    }
    case "assignment": {
      const found = (await listAssignmentsTo(client, expected.servicePrincipalId)).find((a) => a.principalId.toLowerCase() === expected.principalId.toLowerCase());
      return { holds: !!found === expected.present, state: found ? { assignmentId: found.id, principalId: found.principalId, principalType: found.principalType } : null };
    }
    case "userConsentPolicies": {
      const assigned = await readUserConsentPolicies(client);
      const want = lower(expected.assigned);
      const holds = assigned.length === expected.assigned.length && assigned.every((a) => want.has(a.toLowerCase()));
      return { holds, state: { permissionGrantPoliciesAssigned: assigned } };
    }
    case "consentWorkflow": {
      const p = await readAdminConsentRequestPolicy(client);
      const state: WorkflowSettings = {
        isEnabled: p.isEnabled ?? false,
        notifyReviewers: p.notifyReviewers ?? false,
        remindersEnabled: p.remindersEnabled ?? false,
        requestDurationInDays: p.requestDurationInDays ?? 30,
        reviewers: (p.reviewers ?? []).map((r) => ({ query: r.query ?? "", queryType: r.queryType ?? "MicrosoftGraph", queryRoot: r.queryRoot ?? null })),
      };
      const key = (w: WorkflowSettings) =>
        JSON.stringify([w.isEnabled, w.notifyReviewers, w.remindersEnabled, w.requestDurationInDays, w.reviewers.map((r) => r.query.toLowerCase()).sort()]);
      return { holds: key(state) === key(expected.policy), state };
    }
    case "classification": {
      const found = (await listPermissionClassifications(client, expected.resourceAppId)).find(
        (c) => (c.permissionId ?? "").toLowerCase() === expected.permissionId.toLowerCase() && c.classification === "low",
      );
      return { holds: !!found === expected.present, state: found ? { classification: "low", id: found.id, permissionName: found.permissionName } : { classification: null } };
    }
    case "directorySetting": {
      const setting = (await listDirectorySettings(client)).find((s) => (s.templateId ?? "").toLowerCase() === expected.templateId.toLowerCase());
      const values = (setting?.values ?? []).map((v) => ({ name: v.name ?? "", value: v.value ?? "" }));
      const holds = !!setting && expected.values.every((want) => values.some((v) => v.name === want.name && v.value.toLowerCase() === want.value.toLowerCase()));
      return { holds, state: setting ? { values } : null };
    }
  }
}
