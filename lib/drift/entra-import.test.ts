import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listEvents } from "@/lib/audit/query";
import { createPool, pgSql, type AuditSql } from "@/lib/audit/sql";
import { appendEvents } from "@/lib/audit/store";
import { sampleEvent, TENANT } from "@/lib/audit/testing/fixtures";
import { verifyChain } from "@/lib/audit/verify";
import { createGraphClient } from "@/lib/graph/client";
import type { Tenant } from "@/sim/graph";
import { APPS as SIM_APPS, GRAPH_SP_ID, PORTAL_APP_ID, startHttpsSim, USERS, type Sim, type UserKey } from "@/sim/graph/test-helpers";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { importEntraConsentEvents } from "./entra-import";
import { createDriftImport, DRIFT_OVERLAP_MS, ENTRA_RETENTION_MS } from "./schedule";

// Drift read the way the portal reads it: the simulated Graph over https, and a database of this file's
// own (the audit store's tests rewrite and empty the shared one), so whole-chain checks see only these events.

let database: TestDatabase;
let pool: pg.Pool;
let sql: AuditSql;
let sim: Sim;
let tenant: Tenant;
let baseUrl: string;
let sign: (user: UserKey) => Promise<string>;
let signAppOnly: () => Promise<string>;

/** An admin consenting in Entra directly, not through the portal: the simulated tenant logs it as Entra would. */
function consentInEntra(appId: string, scope: string) {
  const alex = tenant.actorFor(USERS.alex.id);
  const sp = tenant.createServicePrincipal(appId, alex);
  return tenant.createGrant({ clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope }, alex);
}

beforeAll(async () => {
  database = await freshTestDatabase("drift");
  pool = createPool(database.url, database.poolSize);
  sql = pgSql(pool);
  // A clock that never stands still: changes made back to back get distinct audit times, so their order is Entra's order.
  let last = 0;
  sim = await startHttpsSim({ clock: () => (last = Math.max(Date.now(), last + 1)) });
  tenant = sim.tenant;
  baseUrl = sim.baseUrl;
  sign = (user) => sim.token(user);
  // What the simulated issuer hands the portal for client credentials: its application permissions in `roles`.
  signAppOnly = () => sim.sign({ roles: PORTAL_APP_ROLES, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" });
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await pool?.end();
  await database?.stop();
});

describe("drift: Entra's consent audits imported as source 'entra'", () => {
  it("imports consents made outside the portal once, however often it runs", async () => {
    const since = new Date(Date.now() - 60_000);
    const grant = consentInEntra(SIM_APPS.nylas, "Mail.Read User.Read");
    tenant.deleteGrant(grant.id, tenant.actorFor(USERS.alex.id));
    await appendEvents(sql, [sampleEvent({ action: "consent.grantDelegated" })]); // the portal's own, beside them
    const chainBefore = await verifyChain(sql);

    const reviewer = createGraphClient({ baseUrl, getAccessToken: () => sign("sam") });
    const first = await importEntraConsentEvents(reviewer, since, { sql, tenantId: TENANT });
    expect(first.imported).toBe(first.fetched);
    expect(first.imported).toBeGreaterThanOrEqual(2);
    const entra = (await listEvents(sql, { source: "entra" })).events;
    expect(entra.map((e) => e.action)).toEqual(["Remove delegated permission grant", "Add delegated permission grant"]);
    const added = entra[1]!;
    expect(added).toMatchObject({ source: "entra", targetAppId: SIM_APPS.nylas, actorOid: USERS.alex.id, outcome: "succeeded" });
    expect(added.externalId).toMatch(/^Directory_/);
    expect(added.after).toMatchObject({ "DelegatedPermissionGrant.Scope": "Mail.Read User.Read" });
    expect(entra[0]?.before).toMatchObject({ "DelegatedPermissionGrant.Scope": "Mail.Read User.Read" });

    const again = await importEntraConsentEvents(reviewer, since, { sql, tenantId: TENANT });
    expect(again).toEqual({ fetched: first.fetched, imported: 0, appIds: [] });
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: chainBefore.count + first.imported });
    // The reads were made with the reviewer's own token and carry Graph request ids.
    expect(reviewer.calls.length).toBeGreaterThan(0);
    expect(reviewer.calls.every((call) => call.status === 200 && call.requestId)).toBe(true);
  });

  it("the schedule imports with the portal's app-only token and records a run only when it imported or failed", async () => {
    let clock = new Date();
    const graphs: ReturnType<typeof createGraphClient>[] = [];
    const appOnly = () => {
      const graph = createGraphClient({ baseUrl, getAccessToken: signAppOnly });
      graphs.push(graph);
      return graph;
    };
    // Runs are told apart from the other test's by a tenant of their own.
    const runTenant = "6b1d2c3e-4f50-4617-8293-a4b5c6d7e8f9";
    const runs = async () => (await listEvents(sql, { action: "audit.importEntraConsents" })).events.filter((event) => event.tenantId === runTenant);
    const runDriftImport = createDriftImport({ graph: appOnly, sql, tenantId: runTenant, now: () => clock });
    consentInEntra(SIM_APPS.outreach, "Calendars.Read");

    const first = await runDriftImport();
    expect("imported" in first && first.imported).toBeGreaterThanOrEqual(1);
    // The first run reads everything Entra keeps (30 days).
    expect(first.since.getTime()).toBe(clock.getTime() - ENTRA_RETENTION_MS);
    expect(graphs[0]?.calls.every((call) => call.status === 200)).toBe(true);
    expect(await runs()).toHaveLength(1);
    expect((await runs())[0]).toMatchObject({ source: "portal", outcome: "succeeded", actorOid: null, after: { imported: "imported" in first ? first.imported : -1 } });

    // Nothing new: no event. Later runs read from the last successful one, less the overlap.
    clock = new Date(clock.getTime() + 15 * 60_000);
    const quiet = await runDriftImport();
    expect(quiet).toMatchObject({ imported: 0 });
    expect(quiet.since.getTime()).toBe(clock.getTime() - 15 * 60_000 - DRIFT_OVERLAP_MS);
    expect(await runs()).toHaveLength(1);

    // Graph failing: the run throws (the job logs it and retries at the next tick) and leaves a failed event.
    const failing = createDriftImport({
      graph: () => createGraphClient({ baseUrl, getAccessToken: async () => "not-a-token", retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } }),
      sql,
      tenantId: runTenant,
    });
    await expect(failing()).rejects.toThrow(/Drift import failed/);
    const all = await runs();
    expect(all.map((event) => event.outcome)).toEqual(["failed", "succeeded"]);
    expect(JSON.stringify(all[0]?.after)).not.toContain("not-a-token");
    expect(await verifyChain(sql)).toMatchObject({ ok: true });
  });
});
