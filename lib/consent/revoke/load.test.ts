import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SignedInUser } from "@/lib/auth/guards";
import { isRefusal } from "@/lib/consent/engine/wizard";
import { createGraphClient, type GraphSession } from "@/lib/graph/client";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { simulatedTenantEnv } from "@/sim/portal-env";
import { APPS, GRAPH_APP_ID, startHttpsSim, USERS, type Sim } from "@/sim/graph/test-helpers";

// The revoke wizard's load against the simulated tenant and a real database: an app in the catalog is
// the catalog's; an app only the tenant holds is described from its service principal and can be
// revoked all the same; an app in neither is refused before anything is planned.

// The wizard's module also holds server-action plumbing: the session and Next's request helpers are stood in for.
vi.mock("@/auth", () => ({ auth: async () => null }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

/** In the seeded tenant, never in the starting catalog: a verified publisher holding an application permission on Graph. */
const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
const NOWHERE = "0d4c5b6a-1e2f-4a3b-8c9d-7e6f5a4b3c2d";

let sim: Sim;
let database: TestDatabase;

beforeAll(async () => {
  sim = await startHttpsSim();
  database = await freshTestDatabase("revoke_load");
  // lib/env and lib/db read these once: the catalog's admin-added apps come from this test's database.
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(database.poolSize),
    AUTH_SECRET: "revoke-load-test-secret-revoke-load-test",
    AUTH_URL: "http://localhost:3999",
    ...simulatedTenantEnv({ login: sim.baseUrl, graph: sim.baseUrl }),
  });
}, 120_000);

afterAll(async () => {
  const { db } = await import("@/lib/db");
  await db().$disconnect();
  await database?.stop();
  await sim?.close();
});

/**
 * Graph as the Global Administrator (a Cloud Application Administrator may not remove application
 * permissions on Microsoft Graph); load reads only their Entra roles (wids) from the user.
 */
function reading(): { graph: GraphSession; user: SignedInUser } {
  const graph = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.token("alex"), retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } });
  return { graph, user: { wids: [...USERS.alex.wids] } as unknown as SignedInUser };
}

const load = async (appId: string, choice: { s?: string[]; r?: string[]; u?: string[] }) => {
  const { loadRevoke } = await import("./load");
  return loadRevoke(reading(), { appId, s: choice.s ?? [], r: choice.r ?? [], u: choice.u ?? [] });
};

describe("loadRevoke", () => {
  it("plans for a catalog app from the catalog's entry", async () => {
    const loaded = await load(APPS.nylas, { s: [`${GRAPH_APP_ID}|Mail.Read`] });
    if (isRefusal(loaded)) throw new Error(loaded.refusal);
    expect(loaded.app).toMatchObject({ appId: APPS.nylas, displayName: "Nylas", source: "starting catalog" });
    // Nylas is not in the seeded tenant: nothing it holds, nothing to change.
    expect(loaded.plan.changeCount).toBe(0);
  });

  it("plans for an app only the tenant holds, described from its service principal", async () => {
    const loaded = await load(TAILSPIN, { r: [`${GRAPH_APP_ID}|Reports.Read.All`] });
    if (isRefusal(loaded)) throw new Error(loaded.refusal);
    expect(loaded.app).toEqual({
      appId: TAILSPIN,
      displayName: "Tailspin Reports",
      publisher: "Tailspin Toys",
      verifiedPublisher: true,
      article: null,
      permissions: [],
      source: "tenant only",
    });
    expect(loaded.plan.changeCount).toBe(1);
    expect(loaded.plan.appRoles.map((change) => [change.permission.value, change.notGranted, change.blockedReason ?? null])).toEqual([["Reports.Read.All", false, null]]);
  });

  it("describes an unverified publisher as such, and a user's own consent can be revoked", async () => {
    const loaded = await load(APPS.litware, { u: [USERS.riley.id] });
    if (isRefusal(loaded)) throw new Error(loaded.refusal);
    expect(loaded.app).toMatchObject({ displayName: "Litware Sign", publisher: "Litware Inc.", verifiedPublisher: false, source: "tenant only" });
    expect(loaded.plan.users.map((user) => user.principalId)).toEqual([USERS.riley.id]);
    expect(loaded.plan.changeCount).toBeGreaterThan(0);
  });

  it("prefers the catalog once an admin adds the app", async () => {
    const { addCatalogApp } = await import("@/lib/catalog");
    await addCatalogApp(
      { appId: APPS.litware, displayName: "Litware Sign (catalog)", publisher: "Litware Inc.", verifiedPublisher: false, permissions: [] },
      { oid: USERS.alex.id, upn: "alex@contoso.example" },
    );
    const loaded = await load(APPS.litware, { u: [USERS.riley.id] });
    if (isRefusal(loaded)) throw new Error(loaded.refusal);
    expect(loaded.app).toMatchObject({ displayName: "Litware Sign (catalog)", source: "added by an admin" });
  });

  it("refuses an app in neither the catalog nor the tenant", async () => {
    const loaded = await load(NOWHERE, { s: [`${GRAPH_APP_ID}|Mail.Read`] });
    expect(isRefusal(loaded) && loaded.refusal).toBe("This app is neither in the portal's catalog nor in your tenant: there is nothing to revoke.");
  });
});
