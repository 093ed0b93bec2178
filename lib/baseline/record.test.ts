import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AuditActor } from "@/lib/audit/audit-log";
import { createAuditLog } from "@/lib/audit/audit-log";
import { pgSql } from "@/lib/audit/sql";
import type { CatalogApp } from "@/lib/catalog";
import { readAppState, ResourceDirectory } from "@/lib/consent/app-state";
import { createChangeEngine, type ChangeContext } from "@/lib/consent/engine/run-step";
import { createTargetLocks } from "@/lib/consent/engine/target-lock";
import { planGrant } from "@/lib/consent/grant/plan";
import { readPublishedScopes } from "@/lib/consent/grant/published-scopes";
import type { GrantInput } from "@/lib/consent/grant/schema";
import { planRevoke } from "@/lib/consent/revoke/plan";
import type { RevokeInput } from "@/lib/consent/revoke/schema";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { APPS, GRAPH_APP_ID, startHttpsSim, TID, USERS, type Sim, type UserKey } from "@/sim/graph/test-helpers";

// The grant and revoke wizards against the simulated tenant and a real database: after their steps the
// approved baseline holds what the tenant, read back, grants — never what a blocked step did not grant.

// The wizards' modules also hold their server actions: the session and Next's request helpers are stood in for.
vi.mock("@/auth", () => import("@/lib/testing/session"));
vi.mock("next/headers", () => import("@/lib/testing/next-request"));
vi.mock("next/cache", () => import("@/lib/testing/next-request"));

let sim: Sim;
let database: PortalTestDatabase;
let pool: pg.Pool;
const APP = APPS.oktaMail;
const app = { appId: APP, displayName: "Office 365 Mail for Okta Workflows" } as CatalogApp;

beforeAll(async () => {
  sim = await startHttpsSim();
  // lib/env and lib/db read these once: the baseline store writes to this test's database.
  database = await portalTestDatabase("baseline_record", { login: sim.baseUrl, graph: sim.baseUrl, authUrl: "http://localhost:3999" });
  pool = database.pool;
}, 120_000);

afterAll(async () => {
  await database?.close();
  await sim?.close();
});

function session(user: UserKey, name: string): { graph: GraphSession; context: ChangeContext } {
  const graph = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token(user), retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } });
  const actor: AuditActor = { oid: USERS[user].id, tid: TID, upn: `${user}@contoso.example`, name, roles: [] };
  const engine = createChangeEngine({ audit: createAuditLog(pgSql(pool)), locks: createTargetLocks(pgSql(pool)) });
  return { graph, context: { graph, actor, request: { clientIp: null, userAgent: "baseline-test" }, justification: `Okta mail automation, ticket IT-${user}`, engine } };
}

/** The grant wizard's action, from its plan on: the tenant as it is now, then the wizard's own execute. */
async function grant(user: UserKey, name: string, choice: { scopes: string[]; roles?: string[] }) {
  const { grantWizard } = await import("@/lib/consent/grant");
  const { graph, context } = session(user, name);
  const resources = new ResourceDirectory(graph.client);
  const plan = planGrant({
    selection: { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: choice.scopes }], appRoles: choice.roles ? [{ resourceAppId: GRAPH_APP_ID, values: choice.roles }] : [] },
    state: await readAppState(graph, APP, resources),
    resources: new Map([[GRAPH_APP_ID, await resources.byApp(GRAPH_APP_ID)]]),
    publishedScopes: await readPublishedScopes(graph.client, [GRAPH_APP_ID]),
    adminWids: USERS[user].wids,
  });
  const input = { appId: APP, d: [], r: [], justification: context.justification } as unknown as GrantInput;
  return grantWizard.execute(context, { app, plan, approving: null }, input);
}

async function revoke(user: UserKey, name: string, choice: { s?: string[]; del?: boolean }) {
  const { revokeWizard } = await import("@/lib/consent/revoke");
  const { graph, context } = session(user, name);
  const scopes = (choice.s ?? []).map((scope) => ({ resourceAppId: GRAPH_APP_ID, scopes: [scope] }));
  const plan = planRevoke({ selection: { scopes, appRoles: [], users: [], deleteServicePrincipal: choice.del ?? false }, state: await readAppState(graph, APP), adminWids: USERS[user].wids });
  const input: RevokeInput = {
    appId: APP,
    s: (choice.s ?? []).map((scope) => `${GRAPH_APP_ID}|${scope}`),
    r: [],
    u: [],
    ...(choice.del ? { del: "yes" as const, confirmDelete: "consent-again" as const } : {}),
    justification: context.justification,
  };
  return revokeWizard.execute(context, { app, plan } as never, input);
}

const approved = async () => {
  const { readBaseline } = await import("./store");
  const baseline = await readBaseline(APP);
  return { baseline, values: baseline?.permissions.map((p) => `${p.consentType}:${p.value}`).sort() ?? null };
};

describe("the approved baseline follows the portal's grants and revokes", () => {
  it("records what a grant made the tenant hold, not what a blocked step did not grant", async () => {
    // Casey is a Cloud Application Administrator: Graph application permissions are blocked for that role.
    const steps = await grant("casey", "Casey Jensen", { scopes: ["User.Read", "Mail.Read"], roles: ["Mail.Send"] });
    expect(steps.find((s) => s.label.startsWith("Application permission Mail.Send"))?.status).toBe("blocked");
    const step = steps.at(-1)!;
    expect(step).toMatchObject({ label: "Approved baseline", status: "done" });
    expect(step.detail).toContain("Not recorded, because the tenant does not hold them: Mail.Send");

    const { baseline, values } = await approved();
    expect(values).toEqual(["AllPrincipals:Mail.Read", "AllPrincipals:User.Read"]);
    expect(baseline).toMatchObject({ source: "grant", version: 1, justification: "Okta mail automation, ticket IT-casey", approvedBy: { name: "Casey Jensen" } });
    // The tenant, read back through Graph, holds exactly that.
    const { heldPermissions } = await import("./merge");
    const held = heldPermissions(await readAppState(session("alex", "Alex Wilber").graph, APP));
    expect(held.map((p) => `${p.consentType}:${p.value}`).sort()).toEqual(values);
    const { rows: events } = await pool.query(`SELECT action, outcome, justification FROM "AuditEvent" WHERE "targetAppId" = $1 AND action = 'baseline.grant' ORDER BY seq`, [APP]);
    expect(events.map((e) => e.outcome)).toEqual(["intended", "succeeded"]);
  });

  it("adds a later grant to the baseline, and one that changes nothing leaves it as it is", async () => {
    await grant("alex", "Alex Wilber", { scopes: ["Calendars.Read"], roles: ["Mail.Send"] });
    expect((await approved()).values).toEqual(["AllPrincipals:Calendars.Read", "AllPrincipals:Mail.Read", "AllPrincipals:User.Read", "Application:Mail.Send"]);
    expect((await approved()).baseline?.version).toBe(2);

    const again = await grant("alex", "Alex Wilber", { scopes: ["User.Read"] });
    expect(again.at(-1)).toMatchObject({ label: "Approved baseline", status: "unchanged" });
    expect((await approved()).baseline?.version).toBe(2);
  });

  it("shrinks by what a revoke removed, and a delete leaves nothing approved", async () => {
    const steps = await revoke("alex", "Alex Wilber", { s: ["Mail.Read"] });
    expect(steps.at(-1)).toMatchObject({ label: "Approved baseline", status: "done" });
    const after = await approved();
    expect(after.values).toEqual(["AllPrincipals:Calendars.Read", "AllPrincipals:User.Read", "Application:Mail.Send"]);
    expect(after.baseline).toMatchObject({ source: "revoke", version: 3 });

    await revoke("alex", "Alex Wilber", { del: true });
    expect(sim.tenant.servicePrincipalByAppId(APP)).toBeUndefined();
    const gone = await approved();
    expect(gone.values).toEqual([]);
    expect(gone.baseline).toMatchObject({ source: "revoke", version: 4 });
  });
});
