// Test helper: what one admin does in the portal's wizards, through a change engine built over a database
// of the test's own (createChangeEngine), so concurrency tests run it in one process or in several.
import type { AuditActor } from "@/lib/audit";
import { createAuditLog } from "@/lib/audit/audit-log";
import { pgSql } from "@/lib/audit/sql";
import { readAppState, ResourceDirectory } from "@/lib/consent/app-state";
import type { AppChangeContext } from "@/lib/consent/app-steps";
import { executeGrant } from "@/lib/consent/grant/execute";
import { planGrant } from "@/lib/consent/grant/plan";
import { readPublishedScopes } from "@/lib/consent/grant/published-scopes";
import { lockKeys } from "@/lib/consent/engine/lock-keys";
import { OWNED_RESOURCE_PREFIX, planUserConsent, type UserConsentChoice } from "@/lib/consent/user-consent/plan";
import { executeUserConsent } from "@/lib/consent/user-consent/execute";
import { executeRevoke } from "@/lib/consent/revoke/execute";
import { planRevoke } from "@/lib/consent/revoke/plan";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { readUserConsentPolicies, writeUserConsentPolicies } from "@/lib/graph/policies";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type pg from "pg";
import { createChangeEngine, type ChangeContext, type ChangeEngine, type Step, type StepResult } from "../run-step";
import { createTargetLocks, type TargetLocks } from "../target-lock";

export const TEST_TID = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";

export type Admin = { name: string; oid: string; wids: string[] };

/** The engine the portal builds (lib/consent/engine/index.ts), over a plain pool; `locks` replaceable to show what the lock prevents. */
export function engineOver(pool: pg.Pool, locks?: TargetLocks): ChangeEngine {
  const sql = pgSql(pool);
  return createChangeEngine({ audit: createAuditLog(sql), locks: locks ?? createTargetLocks(sql) });
}

/** One admin's session: their own Graph client (their own token) and audit identity. */
export function adminSession(admin: Admin, baseUrl: string, token: string, engine: ChangeEngine) {
  const graph = createGraphClient({ baseUrl, getAccessToken: async () => token, retry: { maxRetries: 3, baseDelayMs: 50, maxDelayMs: 2_000 } });
  const actor: AuditActor = { oid: admin.oid, tid: TEST_TID, upn: `${admin.name}@contoso.test`, name: admin.name, roles: admin.wids };
  const policyContext = (): ChangeContext => ({
    graph,
    actor,
    request: { clientIp: null, userAgent: `concurrency-test ${admin.name}` },
    justification: `Concurrency test: ${admin.name}`,
    engine,
  });
  const changeContext = (appId: string): AppChangeContext => ({ ...policyContext(), appId });
  return { admin, graph, actor, engine, policyContext, changeContext };
}
export type AdminSession = ReturnType<typeof adminSession>;

/** The grant wizard's action (app/(admin)/admin/apps/[appId]/(catalog)/grant/actions.ts): plan from the tenant as it is now, then executeGrant. */
export async function grantDelegated(session: AdminSession, appId: string, scopes: string[]): Promise<StepResult[]> {
  const resources = new ResourceDirectory(session.graph.client);
  const state = await readAppState(session.graph, appId, resources);
  const plan = planGrant({
    selection: { delegated: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes }], appRoles: [] },
    state,
    resources: new Map([[MICROSOFT_GRAPH_APP_ID, await resources.byApp(MICROSOFT_GRAPH_APP_ID)]]),
    publishedScopes: await readPublishedScopes(session.graph.client, [MICROSOFT_GRAPH_APP_ID]),
    adminWids: session.admin.wids,
  });
  return executeGrant(session.changeContext(appId), plan, "Concurrency test app");
}

/** The revoke wizard's action: plan from the tenant as it is now, then executeRevoke. */
export async function revokeDelegated(session: AdminSession, appId: string, scopes: string[]): Promise<StepResult[]> {
  const plan = planRevoke({
    selection: { scopes: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes }], appRoles: [], users: [], deleteServicePrincipal: false },
    state: await readAppState(session.graph, appId),
    adminWids: session.admin.wids,
  });
  return executeRevoke(session.changeContext(appId), plan, "Concurrency test app");
}

type Assigned = { permissionGrantPoliciesAssigned: string[] };

/** The user consent wizard (lib/consent/user-consent): planned from the tenant as it is now, then its own execute. */
export async function setUserConsent(session: AdminSession, choice: UserConsentChoice): Promise<StepResult[]> {
  const plan = planUserConsent(await readUserConsentPolicies(session.graph.client), choice);
  const context = session.policyContext();
  return executeUserConsent(context, plan, { choice, justification: context.justification });
}

/**
 * The other edit of the same policy object: resource-specific consent for one kind of resource (a
 * ManagePermissionGrantsForOwnedResource.* entry) switched on or off, every other entry kept. The PATCH
 * replaces the whole list, so it races the user consent step exactly as a second wizard would.
 */
export function ownedResourceStep(graph: GraphSession, policyId: string, on: boolean): Step<null> {
  const entry = `${OWNED_RESOURCE_PREFIX}${policyId}`;
  const plan = (assigned: string[]) => (on ? (assigned.includes(entry) ? assigned : [...assigned, entry]) : assigned.filter((e) => e !== entry));
  return {
    label: `Resource-specific consent (${policyId})`,
    action: "policy.ownedResourceConsent.update",
    target: { type: "policy", id: "authorizationPolicy", name: "Resource-specific consent" },
    lock: lockKeys.policy("authorizationPolicy"),
    before: async () => ({ permissionGrantPoliciesAssigned: await readUserConsentPolicies(graph.client) }),
    expect: (before) => ({ kind: "userConsentPolicies", assigned: plan((before as Assigned).permissionGrantPoliciesAssigned) }),
    apply: async () => {
      const assigned = await readUserConsentPolicies(graph.client);
      const after = plan(assigned);
      if (after.length === assigned.length) return { value: null, changed: false, detail: "Already so." };
      await writeUserConsentPolicies(graph.client, after);
      return { value: null, changed: true, detail: "Saved." };
    },
  };
}

export async function runPolicyStep(session: AdminSession, step: Step<null>): Promise<StepResult> {
  return (await session.engine.runStep(session.policyContext(), step)).result;
}

/** One admin's operation, as the two-process test hands it to a worker. */
export type Operation =
  | { kind: "grant"; appId: string; scope: string }
  | { kind: "revoke"; appId: string; scope: string }
  | { kind: "userConsent"; choice: UserConsentChoice }
  | { kind: "ownedResource"; policyId: string; on: boolean };

export async function perform(session: AdminSession, op: Operation): Promise<StepResult[]> {
  switch (op.kind) {
    case "grant":
      return grantDelegated(session, op.appId, [op.scope]);
    case "revoke":
      return revokeDelegated(session, op.appId, [op.scope]);
    case "userConsent":
      return setUserConsent(session, op.choice);
    case "ownedResource":
      return [await runPolicyStep(session, ownedResourceStep(session.graph, op.policyId, op.on))];
  }
}
