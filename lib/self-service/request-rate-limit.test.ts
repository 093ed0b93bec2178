import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Session } from "next-auth";
import { simulatedTenantEnv } from "@/sim/portal-env";

// The approval-request limit (REQUESTS_PER_HOUR) through the real server action and the real
// database of the unit tests (vitest.global-setup.ts): only the session, the request headers and
// Next's request-scoped helpers are stood in for. People get oids of this run's own, so other test
// files sharing the database cannot blur the counts.

const signedIn: { user: Session["user"] | null } = { user: null };
vi.mock("@/auth", () => ({ auth: async () => (signedIn.user ? { user: signedIn.user, expires: "" } : null) }));
// A post from the portal's own page: the same-origin check (S3) sees the Origin a browser sends.
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "user-agent": "vitest", origin: "http://localhost:3000", host: "localhost:3000" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/server", () => ({ after: () => undefined }));

const url = process.env.TEST_DATABASE_URL!;
const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const GRAPH_API = "00000003-0000-0000-c000-000000000000";

function person(name: string): Session["user"] {
  const slug = name.toLowerCase().replace(" ", ".");
  return { oid: randomUUID(), tid: TID, name, upn: `${slug}@contoso.onmicrosoft.com`, role: "user", wids: [], entraRoles: [] };
}

const riley = person("Riley Limit");
const jordan = person("Jordan Limit");
/** Catalog apps of this run (admins' additions), one per request: one open request per app is its own rule. */
const apps = Array.from({ length: 7 }, (_, i) => ({ appId: randomUUID(), displayName: `Rate limit app ${i + 1}` }));

let pool: pg.Pool;
let requestApproval: typeof import("@/app/(user)/my-apps/actions").requestApprovalAction;
let perHour: number;

function form(appId: string): FormData {
  const data = new FormData();
  data.set("appId", appId);
  data.append("d", `${GRAPH_API}|User.Read`);
  data.set("justification", "I need this app for the quarterly report.");
  return data;
}

async function written(who: Session["user"]): Promise<{ requests: number; auditEvents: number }> {
  const requests = await pool.query(`SELECT count(*)::int AS n FROM "ConsentRequest" WHERE "requesterOid" = $1`, [who.oid]);
  const audit = await pool.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "actorOid" = $1`, [who.oid]);
  return { requests: requests.rows[0].n, auditEvents: audit.rows[0].n };
}

beforeAll(async () => {
  // lib/env reads these once; the simulated-tenant origins are never called (no Graph on this path).
  Object.assign(process.env, {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: "2",
    AUTH_SECRET: "rate-limit-test-secret-rate-limit-test-secret",
    ...simulatedTenantEnv({ login: "https://127.0.0.1:9", graph: "https://127.0.0.1:9" }),
  });
  pool = new pg.Pool({ connectionString: url, max: 2 });
  for (const app of apps) {
    await pool.query(
      `INSERT INTO "CatalogApp" ("appId", "displayName", permissions, "addedByOid", "addedByUpn") VALUES ($1, $2, $3, $4, 'admin@contoso.onmicrosoft.com')`,
      [app.appId, app.displayName, JSON.stringify([{ resourceAppId: GRAPH_API, scopes: ["User.Read"], appRoles: [] }]), randomUUID()],
    );
  }
  ({ requestApprovalAction: requestApproval } = await import("@/app/(user)/my-apps/actions"));
  ({ REQUESTS_PER_HOUR: perHour } = await import("./requests"));
  // Loading the action's module graph the first time is slow on a busy machine.
}, 60_000);

afterAll(async () => {
  await pool.end();
});

describe("approval requests are limited per person and hour", () => {
  it("refuses the request after the limit with a clear message, writes nothing, and leaves another person unaffected", async () => {
    expect(perHour).toBe(5);
    signedIn.user = riley;
    for (const app of apps.slice(0, perHour)) {
      const result = await requestApproval(null, form(app.appId));
      expect(result, app.displayName).toMatchObject({ ok: true, data: { already: false } });
    }
    const before = await written(riley);
    expect(before.requests).toBe(perHour);

    const refused = await requestApproval(null, form(apps[perHour]!.appId));
    expect(refused.ok).toBe(false);
    expect(refused.message).toBe(`You can make at most ${perHour} requests an hour. Try again later. Nothing was saved.`);
    expect(await written(riley)).toEqual(before);

    signedIn.user = jordan;
    const other = await requestApproval(null, form(apps[perHour]!.appId));
    expect(other).toMatchObject({ ok: true, data: { already: false } });
    expect((await written(jordan)).requests).toBe(1);
  });

  it("counts only the last hour: requests older than an hour no longer hold the person back", async () => {
    // The five requests above, moved to just over an hour ago.
    await pool.query(`UPDATE "ConsentRequest" SET "createdAt" = now() - interval '61 minutes' WHERE "requesterOid" = $1`, [riley.oid]);
    signedIn.user = riley;
    const result = await requestApproval(null, form(apps[perHour + 1]!.appId));
    expect(result).toMatchObject({ ok: true, data: { already: false } });
  });
});
