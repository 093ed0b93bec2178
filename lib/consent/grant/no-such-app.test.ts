import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, type AuditActor } from "@/lib/audit/audit-log";
import { createPool, pgSql } from "@/lib/audit/sql";
import { createGraphClient } from "@/lib/graph/client";
import { ENTRA_ROLES } from "@/lib/roles";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { GRAPH_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { readAppState, ResourceDirectory } from "../app-state";
import { createChangeEngine } from "../engine/run-step";
import { createTargetLocks } from "../engine/target-lock";
import { executeGrant } from "./execute";
import { planGrant } from "./plan";
import { readPublishedScopes } from "./published-scopes";

// An app ID no application has: Entra refuses to add it (400), and no retry can change that, so the
// grant reports it blocked in plain words rather than failed with a "Retry the rest".
const MADE_UP = "7d3e0f6a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
let sim: Sim;
let database: TestDatabase;
let pool: pg.Pool;
const actor: AuditActor = { oid: USERS.alex.id, tid: TID, upn: "alex@contoso.example", name: "Alex Wilber", roles: ["Global Administrator"] };

beforeAll(async () => {
  sim = await startHttpsSim();
  database = await freshTestDatabase("grant_no_such_app");
  pool = createPool(database.url, database.poolSize);
}, 120_000);
afterAll(async () => {
  await pool?.end();
  await database?.stop();
  await sim?.close();
});

describe("granting an app that exists nowhere", () => {
  it("is blocked with the reason, nothing is created, and nothing is left to retry", async () => {
    const graph = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex"), retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } });
    const resources = new ResourceDirectory(graph.client);
    const plan = planGrant({
      selection: { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: ["User.Read"] }], appRoles: [] },
      state: await readAppState(graph, MADE_UP, resources),
      resources: new Map([[GRAPH_APP_ID, await resources.byApp(GRAPH_APP_ID)]]),
      publishedScopes: await readPublishedScopes(graph.client, [GRAPH_APP_ID]),
      adminWids: [ENTRA_ROLES.globalAdministrator],
    });
    expect(plan.createServicePrincipal).toBe(true);
    const engine = createChangeEngine({ audit: createAuditLog(pgSql(pool)), locks: createTargetLocks(pgSql(pool)) });
    const steps = await executeGrant({ graph, actor, request: { clientIp: null, userAgent: "test" }, justification: "A request for a made-up app", engine, appId: MADE_UP }, plan, "App 7d3e");
    expect(steps.map((s) => s.status)).toEqual(["blocked", "blocked"]);
    expect(steps[0]!.detail).toContain(`No app with ID ${MADE_UP} exists in Microsoft Entra ID`);
    expect(steps.some((s) => s.status === "failed" || s.status === "partial")).toBe(false);
    expect(sim.tenant.servicePrincipalByAppId(MADE_UP)).toBeUndefined();
  });
});
