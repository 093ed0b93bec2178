import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAuditLog, type AuditActor } from "@/lib/audit/audit-log";
import { pgSql, type AuditSql } from "@/lib/audit/sql";
import type { SignedInUser } from "@/lib/auth/guards";
import { createChangeEngine } from "@/lib/consent/engine/run-step";
import { createTargetLocks } from "@/lib/consent/engine/target-lock";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { createTenantWideGrant, findTenantWideGrant } from "@/lib/graph/grants";
import { getResourceServicePrincipal } from "@/lib/graph/service-principals";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { graphPermission } from "@/lib/testing/permissions";
import { GRAPH_APP_ID, startHttpsSim, TID, USERS, type Sim } from "@/sim/graph/test-helpers";
import { checkAppsLive } from "./drift-check";
import { revertDrift } from "./drift-resolve";
import { readDrift } from "./drift-store";
import { saveBaseline } from "./store";

// Reverting drift on an app the portal's catalog does not list, with the portal's own revoke and grant
// wizards (load and execute): the revoke wizard describes the app from its service principal, so an
// "added" drift is reverted, the tenant read back, the drift closed, the change audited.

vi.mock("@/auth", () => ({ auth: async () => null }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/** Tailspin Reports: in the seeded tenant with Reports.Read.All on Graph, not in the starting catalog. */
const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
const TAILSPIN_SP = "1af31aeb-c76c-4838-8ed7-0f1edc2c17ea";

let sim: Sim;
let database: PortalTestDatabase;
let pool: pg.Pool;
let sql: AuditSql;

const actor: AuditActor = { oid: USERS.alex.id, tid: TID, upn: "alex@contoso.example", name: "Alex Wilber", roles: ["Global Administrator"] };
const user: SignedInUser = { oid: USERS.alex.id, tid: TID, name: "Alex Wilber", upn: "alex@contoso.example", role: "admin", wids: [...USERS.alex.wids], entraRoles: ["Global Administrator"] };
const graph = (): GraphSession => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex"), retry: { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 500 } });

beforeAll(async () => {
  sim = await startHttpsSim();
  database = await portalTestDatabase("drift_revert_tenant_app", { graph: sim.baseUrl, login: sim.baseUrl, authUrl: "http://localhost:3999" });
  pool = database.pool;
  sql = pgSql(pool);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await sim?.close();
});

async function tailspinScopes(): Promise<string[]> {
  const client = graph().client;
  const resource = (await getResourceServicePrincipal(client, { appId: GRAPH_APP_ID }))!;
  return ((await findTenantWideGrant(client, TAILSPIN_SP, resource.id!))?.scope ?? "").split(" ").filter(Boolean).sort();
}

describe("drift revert on an app outside the catalog", () => {
  it("reverts an added scope through the revoke wizard, described from the tenant", async () => {
    const { revokeWizard } = await import("@/lib/consent/revoke");
    const { grantWizard } = await import("@/lib/consent/grant");
    const { findCatalogApp } = await import("@/lib/catalog");
    expect(await findCatalogApp(TAILSPIN)).toBeNull();

    // Approved: Reports.Read.All only. Then consented in Entra, outside the portal: mail for everyone.
    await saveBaseline(
      { appId: TAILSPIN, displayName: "Tailspin Reports", permissions: [graphPermission("Reports.Read.All", "Application")], verifiedPublisher: "Tailspin Toys", source: "adopted", justification: "Reports for the regional leads" },
      { actor, context: { clientIp: null, userAgent: "test" } },
    );
    const client = graph().client;
    const resource = (await getResourceServicePrincipal(client, { appId: GRAPH_APP_ID }))!;
    await createTenantWideGrant(client, TAILSPIN_SP, resource.id!, "Mail.Read");
    const { opened } = await checkAppsLive(graph(), sql, { appIds: [TAILSPIN], detectedBy: "check", now: new Date() });
    expect(opened.map((drift) => [drift.kind, drift.permissions.map((p) => p.value)])).toEqual([["added", ["Mail.Read"]]]);

    const engine = createChangeEngine({ audit: createAuditLog(sql), locks: createTargetLocks(sql) });
    const justification = "Mail was never approved for Tailspin Reports";
    const outcome = await revertDrift(sql, { graph: graph(), actor, request: { clientIp: null, userAgent: "test" }, justification, engine, user, now: () => new Date() }, opened[0]!.id, {
      revoke: revokeWizard,
      grant: grantWizard,
    });

    expect(outcome).toMatchObject({ reverted: true, stillDrifting: false });
    expect(await tailspinScopes()).toEqual([]);
    expect(await readDrift(sql, opened[0]!.id)).toMatchObject({ status: "reverted" });
    const audited = await pool.query(`SELECT action, "targetName" FROM "AuditEvent" WHERE justification = $1 AND outcome = 'succeeded'`, [justification]);
    expect(audited.rows.map((row) => row.action)).toContain("revoke.delegated.allPrincipals");
    expect(audited.rows.find((row) => row.action === "revoke.delegated.allPrincipals")?.targetName).toContain("Tailspin Reports");
  });
});
