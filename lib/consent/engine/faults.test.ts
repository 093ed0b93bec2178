import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuditUnavailableError, createAuditLog, type AuditActor } from "@/lib/audit/audit-log";
import { createPool, pgSql } from "@/lib/audit/sql";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { createTenantWideGrant, findTenantWideGrant, replaceGrantScope } from "@/lib/graph/grants";
import { createServicePrincipal, findServicePrincipalByAppId, getResourceServicePrincipal } from "@/lib/graph/service-principals";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { APPS, GRAPH_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { reconcileWith } from "./testing/reconcile";
import { createChangeEngine, type Step } from "./run-step";
import { createTargetLocks } from "./target-lock";

// S16 against the real parts: the simulated Graph over https and a fresh migrated database (PGlite, or
// PostgreSQL when DATABASE_URL is set). The database fails on purpose, once after the Graph change and
// once before the intent.

const RETRY = { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 2_000 };
const FAULT = "fault: outcome write";
let sim: Sim;
let database: TestDatabase;
let pool: pg.Pool;

const actor: AuditActor = { oid: USERS.alex.id, tid: TID, upn: "alex@contoso.example", name: "Alex Wilber", roles: ["Global Administrator"] };
const graphAsAlex = (): GraphSession => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex"), retry: RETRY });

beforeAll(async () => {
  sim = await startHttpsSim();
  database = await freshTestDatabase("engine_faults");
  pool = createPool(database.url, database.poolSize);
  // Fails the outcome of exactly the changes that ask for it: the intent goes in, the outcome does not.
  await pool.query(`
    CREATE FUNCTION fail_marked_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.outcome <> 'intended' AND NEW.justification = '${FAULT}' THEN RAISE EXCEPTION 'outcome write refused for the test'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_marked_outcomes BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION fail_marked_outcomes();`);
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await database?.stop();
  await sim?.close();
});

beforeEach(() => sim.tenant.reset());

/** Adds `scope` to Nylas's tenant-wide grant on Microsoft Graph: the kind of step the grant wizard runs. */
async function grantStep(graph: GraphSession, scope: string): Promise<Step<null>> {
  const sp = (await findServicePrincipalByAppId(graph.client, APPS.nylas)) ?? (await createServicePrincipal(graph.client, APPS.nylas));
  const resource = (await getResourceServicePrincipal(graph.client, { appId: GRAPH_APP_ID }))!;
  const clientId = sp.id!;
  const resourceId = resource.id!;
  return {
    label: `Add ${scope}`,
    action: "grant.delegated.allPrincipals",
    target: { type: "oauth2PermissionGrant", appId: APPS.nylas, name: "Nylas → Microsoft Graph" },
    lock: `delegatedGrant:${clientId}:${resourceId}`,
    before: async () => ({ scope: (await findTenantWideGrant(graph.client, clientId, resourceId))?.scope ?? "" }),
    expect: { kind: "delegatedScopes", clientId, resourceId, present: [scope], absent: [] },
    apply: async () => {
      const current = await findTenantWideGrant(graph.client, clientId, resourceId);
      if (current) await replaceGrantScope(graph.client, current.id, `${current.scope} ${scope}`.trim());
      else await createTenantWideGrant(graph.client, clientId, resourceId, scope);
      return { value: null, changed: true, detail: `Added ${scope}.` };
    },
  };
}

const rowsOf = async (correlationId: string) =>
  (await pool.query<{ outcome: string; after: { recordedLate?: boolean; tenant?: { scope: string } } | null }>(`SELECT outcome, after FROM "AuditEvent" WHERE "correlationId" = $1::uuid ORDER BY seq`, [correlationId])).rows;

describe("the change engine when the database fails (S16)", () => {
  it("says the change was made when its outcome cannot be recorded, and reconciliation records it from the tenant", async () => {
    const sql = pgSql(pool);
    const engine = createChangeEngine({ audit: createAuditLog(sql), locks: createTargetLocks(sql) });
    const graph = graphAsAlex();
    const step = await grantStep(graph, "Calendars.Read");

    const { result } = await engine.runStep({ graph, actor, request: { clientIp: null, userAgent: "vitest" }, justification: FAULT, engine }, step);

    // The tenant holds the scope, and the result says so — never "no change was made".
    const sp = await findServicePrincipalByAppId(graph.client, APPS.nylas);
    const resource = await getResourceServicePrincipal(graph.client, { appId: GRAPH_APP_ID });
    expect((await findTenantWideGrant(graph.client, sp!.id!, resource!.id!))?.scope.split(" ")).toContain("Calendars.Read");
    expect(result.status).toBe("done");
    expect(result.recordedLate).toBe(true);
    expect(result.detail).toContain(`intent ${result.intent}`);
    expect((await rowsOf(result.intent!)).map((r) => r.outcome)).toEqual(["intended"]);

    // The database answers again: reconciliation reads the tenant and records the outcome once.
    await pool.query(`DROP TRIGGER fail_marked_outcomes ON "AuditEvent"`);
    const recorded = await reconcileWith(sql, graphAsAlex, { settled: true });
    expect(recorded).toBe(1);
    const rows = await rowsOf(result.intent!);
    expect(rows.map((r) => r.outcome)).toEqual(["intended", "succeeded"]);
    expect(rows[1]?.after?.recordedLate).toBe(true);
    expect(rows[1]?.after?.tenant?.scope.split(" ")).toContain("Calendars.Read");
    // Running it again records nothing more.
    expect(await reconcileWith(sql, graphAsAlex, { settled: true })).toBe(0);
  });

  it("sends nothing to Graph when the database is down before the intent", async () => {
    const dead = createPool("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2", 1);
    const sql = pgSql(dead);
    const engine = createChangeEngine({ audit: createAuditLog(sql), locks: createTargetLocks(sql) });
    const setup = graphAsAlex();
    const step = await grantStep(setup, "Contacts.Read");
    const graph = graphAsAlex();
    const grantsBefore = sim.tenant.state.grants.size;
    const answeredBefore = (await sim.control("GET", "/_sim/requests")).body as { reads: number; writes: number };

    await expect(engine.runStep({ graph, actor, request: { clientIp: null, userAgent: "vitest" }, justification: "db down", engine }, { ...step, before: async () => ({ scope: "" }) })).rejects.toBeInstanceOf(AuditUnavailableError);

    // Not a single request left the portal's client, and the simulator answered none.
    expect(graph.calls).toEqual([]);
    expect((await sim.control("GET", "/_sim/requests")).body).toEqual(answeredBefore);
    expect(sim.tenant.state.grants.size).toBe(grantsBefore);
    await dead.end();
  });
});
