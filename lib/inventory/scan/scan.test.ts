import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createPool, pgSql, type AuditSql } from "@/lib/audit/sql";
import { appendEvents } from "@/lib/audit/store";
import { sampleEvent } from "@/lib/audit/testing/fixtures";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { generateLargeTenant, type Tenant } from "@/sim/graph";
import { signInActivities } from "@/sim/graph/routes/audit-logs";
import { APPS, GRAPH_SP_ID, PORTAL_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { scanTenant, startScan, type ScanOptions, type ScanOutcome } from "./engine";
import { claimScan, ScanAlreadyRunningError } from "./store";

// The scan against the simulated Graph over https (a generated tenant of 2,000 apps) and a database of
// this file's own: what it stores is compared with the simulator's own state, and the simulator's
// request counter shows what it read (and what it did not read again).

const SERVICE_PRINCIPALS = 2_000;
const GRANTS = 6_000;
const ASSIGNMENTS = 3_000;
const PAGE = 999;


let database: TestDatabase;
let pool: pg.Pool;
let sql: AuditSql;
let sim: Sim;
let tenant: Tenant;

/** A Graph client as the portal's app-only one, with short backoffs so a throttled test does not wait long. */
function graph(): GraphSession {
  const token = sim.sign({ roles: PORTAL_APP_ROLES, appid: PORTAL_APP_ID, azp: PORTAL_APP_ID, idtyp: "app" });
  return createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => token, retry: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 5_000 } });
}

const scan = (options: Partial<ScanOptions> = {}): Promise<ScanOutcome> =>
  scanTenant({ graph: graph(), sql, tenantId: TID, pageRetry: { attempts: 3, baseDelayMs: 5 }, ...options });

async function reads(): Promise<number> {
  return (await sim.control("GET", "/_sim/requests")).body.reads as number;
}

async function faults(config: unknown): Promise<void> {
  expect((await sim.control("POST", "/_sim/faults", config)).status).toBe(200);
}

/** What Graph holds now, as the scan should find it. */
function tenantState() {
  const sps = [...tenant.state.servicePrincipals.values()];
  const resources = sps.filter((sp) => sp.appRoles.some((role) => (role.allowedMemberTypes ?? ["Application"]).includes("Application")));
  const resourceIds = new Set(resources.map((sp) => sp.id));
  const assignments = [...tenant.state.appRoleAssignments.values()].filter((a) => resourceIds.has(a.resourceId));
  const assignedTo = (id: string) => assignments.filter((a) => a.resourceId === id).length;
  return {
    servicePrincipalIds: sps.map((sp) => sp.id).sort(),
    grantIds: [...tenant.state.grants.keys()].sort(),
    assignmentIds: assignments.map((a) => a.id).sort(),
    /** the least a complete scan must read: every page of both collections, of each API with app roles, and of the sign-in activity report */
    minimumRequests:
      Math.ceil(sps.length / PAGE) + Math.max(1, Math.ceil(tenant.state.grants.size / PAGE)) + resources.reduce((n, sp) => n + Math.max(1, Math.ceil(assignedTo(sp.id) / PAGE)), 0) +
      Math.max(1, Math.ceil(signInActivities(tenant.state.signIns).length / PAGE)),
  };
}

async function stored(scanId: string) {
  const ids = async (table: string) =>
    (await sql.query<{ id: string }>(`SELECT id::text FROM "${table}" WHERE "scanId" = $1::uuid ORDER BY id`, [scanId])).map((row) => row.id);
  return { servicePrincipalIds: await ids("InventoryServicePrincipal"), grantIds: await ids("InventoryGrant"), assignmentIds: await ids("InventoryAssignment") };
}

function completed(outcome: ScanOutcome) {
  if (outcome.status !== "completed") throw new Error(`scan ${outcome.status}: ${"error" in outcome ? outcome.error : ""}`);
  return outcome;
}

beforeAll(async () => {
  database = await freshTestDatabase("inventory_scan");
  pool = createPool(database.url, database.poolSize);
  sql = pgSql(pool);
  sim = await startHttpsSim();
  tenant = sim.tenant;
  generateLargeTenant(tenant, { servicePrincipals: SERVICE_PRINCIPALS, grants: GRANTS, appRoleAssignments: ASSIGNMENTS, users: 40, seed: 11 });
}, 120_000);
afterAll(async () => {
  await sim?.close();
  await pool?.end();
  await database?.stop();
});
beforeEach(async () => {
  await sim.control("DELETE", "/_sim/faults");
});

// PGlite stores a few thousand rows a second: each scan here takes seconds, so each test gets minutes.
describe("inventory scan", { timeout: 240_000 }, () => {
  it("finds every service principal, grant and application permission the tenant holds, reading each page once", async () => {
    const expected = tenantState();
    const before = await reads();
    const outcome = completed(await scan({ actor: { upn: "alex@contoso.example", name: "Alex" } }));
    const made = (await reads()) - before;

    expect(await stored(outcome.scanId)).toEqual({ servicePrincipalIds: expected.servicePrincipalIds, grantIds: expected.grantIds, assignmentIds: expected.assignmentIds });
    expect(made).toBe(expected.minimumRequests);
    expect(outcome.summary).toMatchObject({ servicePrincipals: expected.servicePrincipalIds.length, grants: GRANTS + fixtureGrants(), restarts: 0, resumes: 0 });

    // every client with consent became one app; its permissions are what its grants say
    const clients = new Set([...tenant.state.grants.values()].map((g) => g.clientId));
    for (const a of tenant.state.appRoleAssignments.values()) if (a.principalType === "ServicePrincipal") clients.add(a.principalId);
    expect(outcome.summary.apps).toBe(clients.size);
    const someGrant = [...tenant.state.grants.values()].find((g) => g.consentType === "AllPrincipals" && g.resourceId === GRAPH_SP_ID);
    expect(someGrant).toBeDefined();
    const [app] = await sql.query<{ permissions: { kind: string; value: string; allUsers: boolean }[] }>(
      `SELECT permissions::jsonb AS permissions FROM "InventoryApp" WHERE "scanId" = $1::uuid AND "servicePrincipalId" = $2::uuid`,
      [outcome.scanId, someGrant?.clientId],
    );
    const tenantWide = app?.permissions.filter((p) => p.kind === "delegated" && p.allUsers).map((p) => p.value).sort();
    expect(tenantWide).toEqual(expect.arrayContaining(someGrant?.scope.split(" ").filter(Boolean) ?? ["?"]));
    const [row] = await sql.query<{ status: string; pages: number; requests: number }>(`SELECT status, pages, requests FROM "InventoryScan" WHERE id = $1::uuid`, [outcome.scanId]);
    expect(row).toMatchObject({ status: "completed", pages: expected.minimumRequests, requests: expected.minimumRequests });
  });

  it("resumes a scan stopped mid-way from its last stored page: pages already stored are not read again", async () => {
    const expected = tenantState();
    const before = await reads();
    const stop = new AbortController();
    const first = await scan({ signal: stop.signal, onProgress: (p) => { if (p.pages >= 3) stop.abort(); } });
    expect(first.status).toBe("interrupted");
    const [half] = await sql.query<{ pages: number; status: string }>(`SELECT pages, status FROM "InventoryScan" WHERE id = $1::uuid`, [first.scanId]);
    expect(half?.status).toBe("running");
    expect(half?.pages).toBeLessThan(expected.minimumRequests);

    const resumed = completed(await scan({ scanId: first.scanId }));
    expect(resumed.scanId).toBe(first.scanId);
    expect(await stored(first.scanId)).toEqual({ servicePrincipalIds: expected.servicePrincipalIds, grantIds: expected.grantIds, assignmentIds: expected.assignmentIds });
    // at most the pages read ahead when it stopped (one per chain) are read again
    const made = (await reads()) - before;
    expect(made).toBeGreaterThanOrEqual(expected.minimumRequests);
    expect(made).toBeLessThanOrEqual(expected.minimumRequests + 3);
    expect(resumed.summary.resumes).toBe(1);
  });

  it("stops for now on an outage that outlasts the retries, and the next run continues from the last good page", async () => {
    const expected = tenantState();
    // every grant page fails for now, each try and retry of it: the outage outlasts the retries
    await faults({ rules: [{ status: 503, pathPattern: "oauth2PermissionGrants", retryAfterSeconds: 0, times: 1_000 }] });
    const before = await reads();
    const first = await scan({ graph: (() => { const g = graph(); g.retry.maxRetries = 1; return g; })() });
    expect(first.status).toBe("interrupted");
    const [row] = await sql.query<{ status: string; lastError: string | null; leaseUntil: Date | null; pages: number }>(
      `SELECT status, "lastError", "leaseUntil", pages FROM "InventoryScan" WHERE id = $1::uuid`,
      [first.scanId],
    );
    expect(row).toMatchObject({ status: "running", leaseUntil: null });
    expect(row?.lastError).toContain("503");
    const storedPages = row?.pages ?? 0;
    const afterOutage = await reads();
    expect(afterOutage).toBeGreaterThan(before);

    await sim.control("DELETE", "/_sim/faults");
    const resumed = completed(await scan({ scanId: first.scanId }));
    expect(await stored(resumed.scanId)).toEqual({ servicePrincipalIds: expected.servicePrincipalIds, grantIds: expected.grantIds, assignmentIds: expected.assignmentIds });
    // the resumed run reads what was not stored yet, and at most the pages read ahead when it stopped (one per other chain)
    const resumedReads = (await reads()) - afterOutage;
    expect(resumedReads).toBeGreaterThanOrEqual(expected.minimumRequests - storedPages);
    expect(resumedReads).toBeLessThanOrEqual(expected.minimumRequests - storedPages + 2);
    expect(resumed.summary.resumes).toBe(1);
  });

  it("reads a collection again from its first page when Graph says its page token expired, and misses nothing", async () => {
    const expected = tenantState();
    await faults({ expirePageTokens: { pathPattern: "oauth2PermissionGrants", after: 3, times: 1 } });
    const before = await reads();
    const outcome = completed(await scan());
    expect(await stored(outcome.scanId)).toEqual({ servicePrincipalIds: expected.servicePrincipalIds, grantIds: expected.grantIds, assignmentIds: expected.assignmentIds });
    expect(outcome.summary.restarts).toBe(1);
    // only the grants are read again: the refused page, then the four pages up to it once more
    expect((await reads()) - before).toBe(expected.minimumRequests + 1 + 4);
  });

  it("weathers a 429 storm: slows down, retries after Retry-After and stores every row", async () => {
    const expected = tenantState();
    await faults({ rules: [{ status: 429, rate: 0.4, retryAfterSeconds: 0 }], seed: 5 });
    const outcome = completed(await scan({ concurrency: 4 }));
    expect(await stored(outcome.scanId)).toEqual({ servicePrincipalIds: expected.servicePrincipalIds, grantIds: expected.grantIds, assignmentIds: expected.assignmentIds });
    expect(outcome.summary.throttled).toBeGreaterThan(0);
  });

  it("reports exactly the consent that changed between two scans, and which changes did not come through the portal", async () => {
    completed(await scan());
    const alex = tenant.actorFor(USERS.alex.id);
    const grants = [...tenant.state.grants.values()];
    // new: an app with no consent before; changed: a scope added, an app role removed (the app keeps its grants); gone: an app deleted
    const newcomer = tenant.createServicePrincipal(APPS.nylas, alex);
    tenant.createGrant({ clientId: newcomer.id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "Mail.Read" }, alex);
    const widened = grants.find((g) => g.consentType === "AllPrincipals" && !g.scope.split(" ").includes("Mail.ReadWrite"));
    if (!widened) throw new Error("no grant to widen");
    tenant.updateGrantScope(widened.id, `${widened.scope} Mail.ReadWrite`, alex);
    const assignment = [...tenant.state.appRoleAssignments.values()].find((a) => a.principalType === "ServicePrincipal" && a.resourceId === GRAPH_SP_ID && a.principalId !== widened.clientId && tenant.grantsOf(a.principalId).length > 0);
    if (!assignment) throw new Error("no assignment to remove");
    tenant.deleteAppRoleAssignment(assignment.resourceId, assignment.id, alex);
    const leaving = grants.find((g) => ![widened.clientId, assignment.principalId].includes(g.clientId));
    if (!leaving) throw new Error("no app to delete");
    tenant.deleteServicePrincipal(leaving.clientId, alex);
    // the widened grant went through the portal: its audit trail says so
    const widenedApp = tenant.state.servicePrincipals.get(widened.clientId);
    await appendEvents(sql, [sampleEvent({ tenantId: TID, targetAppId: widenedApp?.appId ?? null, outcome: "succeeded", action: "grant.delegated.allPrincipals" })]);

    const second = completed(await scan());
    const changes = await sql.query<{ id: string; change: string }>(
      `SELECT "servicePrincipalId"::text AS id, change FROM "InventoryApp" WHERE "scanId" = $1::uuid AND change IS NOT NULL ORDER BY id`,
      [second.scanId],
    );
    expect(changes).toEqual(
      [{ id: newcomer.id, change: "new" }, { id: widened.clientId, change: "changed" }, { id: assignment.principalId, change: "changed" }].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(second.summary.changes).toMatchObject({ new: 1, changed: 2, gone: 1, outsidePortal: 2 });
    expect(second.summary.changes.goneApps.map((app) => app.servicePrincipalId)).toEqual([leaving.clientId]);
    const outside = await sql.query<{ id: string }>(
      `SELECT DISTINCT "servicePrincipalId"::text AS id FROM "InventoryFinding" WHERE "scanId" = $1::uuid AND kind = 'granted-outside-portal' ORDER BY 1`,
      [second.scanId],
    );
    expect(outside.map((row) => row.id)).toEqual([newcomer.id, assignment.principalId].sort());
  });

  it("fills each app's last sign-in from the sign-in activity report: an app unused for months gets the finding and the risk factor", async () => {
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const withConsent = [...new Set([...tenant.state.grants.values()].map((g) => g.clientId))].map((id) => tenant.state.servicePrincipals.get(id)).filter((sp) => sp !== undefined);
    const [idle, busy] = withConsent.slice(-2);
    if (!idle || !busy) throw new Error("no apps with consent");
    // the sign-in log as Entra keeps it: one app last used 200 days ago (a newer failure of nobody's keeps it so), one yesterday
    const entry = (appId: string, at: string) => ({
      id: crypto.randomUUID(), createdDateTime: at, userDisplayName: "", userPrincipalName: "", userId: USERS.alex.id, appId, appDisplayName: "", ipAddress: "127.0.0.1",
      clientAppUsed: "Browser", correlationId: crypto.randomUUID(), conditionalAccessStatus: "notApplied" as const, isInteractive: true, resourceDisplayName: "Microsoft Graph",
      resourceId: "00000003-0000-0000-c000-000000000000", status: { errorCode: 0, failureReason: null, additionalDetails: null },
    });
    tenant.state.signIns.push(entry(idle.appId, daysAgo(300)), entry(idle.appId, daysAgo(200)), entry(busy.appId, daysAgo(1)));

    const outcome = completed(await scan({ now: () => now }));
    expect(outcome.summary.signIns).toEqual({ available: true, apps: signInActivities(tenant.state.signIns).length });
    const apps = await sql.query<{ id: string; lastSignIn: Date | null; riskFactors: string[] }>(
      `SELECT "servicePrincipalId"::text AS id, "lastSignIn", "riskFactors" FROM "InventoryApp" WHERE "scanId" = $1::uuid AND "servicePrincipalId" IN ($2::uuid, $3::uuid) ORDER BY 1`,
      [outcome.scanId, idle.id, busy.id],
    );
    const of = (id: string) => apps.find((app) => app.id === id);
    expect(of(idle.id)?.lastSignIn?.toISOString()).toBe(daysAgo(200));
    expect(of(busy.id)?.lastSignIn?.toISOString()).toBe(daysAgo(1));
    expect(of(idle.id)?.riskFactors).toContain("not used for 200 days");
    expect(of(busy.id)?.riskFactors.some((factor) => factor.startsWith("not used"))).toBe(false);
    const unused = await sql.query<{ id: string; key: string }>(`SELECT "servicePrincipalId"::text AS id, key FROM "InventoryFinding" WHERE "scanId" = $1::uuid AND kind = 'unused'`, [outcome.scanId]);
    expect(unused.map((f) => f.id)).toEqual([idle.id]);
    // the finding's sentence ("has not signed in for 200 days") is derived when read, counting from the analysis time the summary keeps
    expect(unused[0]?.key).toBe(`unused|${idle.id.toLowerCase()}`);
    expect(outcome.summary.analysedAt).toBe(now.toISOString());
  });

  it("completes without sign-in data when Graph refuses the sign-in activity report, and says so", async () => {
    // a tenant without Entra ID P1: Graph refuses its sign-in reports
    await faults({ rules: [{ status: 403, pathPattern: "servicePrincipalSignInActivities", retryAfterSeconds: null }] });
    const outcome = completed(await scan());
    expect(outcome.summary.signIns).toMatchObject({ available: false });
    expect(outcome.summary.signIns?.available === false && outcome.summary.signIns.reason).toContain("403");
    const [signedIn] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InventoryApp" WHERE "scanId" = $1::uuid AND "lastSignIn" IS NOT NULL`, [outcome.scanId]);
    expect(signedIn?.n).toBe(0);
    expect(outcome.summary.grants).toBe(GRANTS + fixtureGrants());
  });

  it("runs one scan per tenant at a time", async () => {
    const started = await startScan(sql, TID, null);
    if (!("scanId" in started)) throw new Error("expected a new scan");
    expect(await startScan(sql, TID, null)).toEqual({ alreadyRunning: started.scanId });
    await expect(scan()).rejects.toBeInstanceOf(ScanAlreadyRunningError);
    // while its holder keeps the lease, nobody else can take it up
    expect(await claimScan(sql, started.scanId, crypto.randomUUID(), 60_000)).toBeNull();
    expect(await scan({ scanId: started.scanId })).toEqual({ status: "busy", scanId: started.scanId });
    completed(await scan({ scanId: started.scanId, holder: started.holder }));
    expect("scanId" in (await startScan(sql, TID, null))).toBe(true);
  });
});

/** The fixture tenant's own grants, beside the generated ones. */
function fixtureGrants(): number {
  return tenant.state.grants.size - GRANTS;
}
