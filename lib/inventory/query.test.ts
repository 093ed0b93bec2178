import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatedTenantEnv } from "@/sim/portal-env";
import type { InventoryFilter, SortDirection, SortKey } from "./filters";

// Keyset paging of the inventory against the unit tests' real database (vitest.global-setup.ts):
// every sort, both directions, filters and search, read a page at a time, must give each matching
// row exactly once and in the order the sort promises — ties and never-signed-in apps included.

const url = process.env.TEST_DATABASE_URL!;
const GRAPH_API = "00000003-0000-0000-c000-000000000000";
let pool: pg.Pool;
let query: typeof import("./query");
let exporter: typeof import("./export");
const scanId = randomUUID();

type Seeded = { servicePrincipalId: string; appId: string; displayName: string; riskScore: number; riskLevel: string; consentedUsers: number; lastSignIn: Date | null; verified: boolean; allUsers: boolean; application: boolean; change: string | null };
const apps: Seeded[] = [];

beforeAll(async () => {
  Object.assign(process.env, {
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: "2",
    AUTH_SECRET: "inventory-query-test-secret-inventory-query",
    ...simulatedTenantEnv({ login: "https://127.0.0.1:9", graph: "https://127.0.0.1:9" }),
  });
  const { env } = await import("@/lib/env");
  pool = new pg.Pool({ connectionString: url, max: 2 });
  await pool.query(`INSERT INTO "InventoryScan" (id, "tenantId", status, "finishedAt", summary) VALUES ($1, $2, 'completed', now(), '{"analysedAt": "2026-03-01T00:00:00.000Z"}')`, [scanId, env().tenant.tenantId]);
  const levels = ["Critical", "High", "Medium", "Low", "Unrated"];
  for (let i = 0; i < 137; i += 1) {
    // Few distinct values per sort key, so ties cross page boundaries.
    const app: Seeded = {
      servicePrincipalId: randomUUID(),
      appId: randomUUID(),
      displayName: i === 0 ? "=HYPERLINK(\"http://evil\"),x" : `App ${String(i % 23).padStart(2, "0")}`,
      riskScore: (i * 37) % 7 * 10,
      riskLevel: levels[i % 5]!,
      consentedUsers: i % 4,
      lastSignIn: i % 3 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + (i % 5))),
      verified: i % 2 === 0,
      allUsers: i % 3 === 1,
      application: i % 7 === 0,
      change: i % 11 === 0 ? "new" : i % 13 === 0 ? "changed" : null,
    };
    apps.push(app);
    const permissions = [
      { kind: "delegated", resourceId: randomUUID(), resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", value: "Mail.Read", appRoleId: null, risk: "High", allUsers: app.allUsers, userCount: app.consentedUsers },
      ...(app.application ? [{ kind: "application", resourceId: randomUUID(), resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", value: "Files.Read.All", appRoleId: randomUUID(), risk: "Critical", allUsers: false, userCount: 0 }] : []),
    ];
    await pool.query(
      `INSERT INTO "InventoryApp" ("scanId", "servicePrincipalId", "appId", "displayName", "publisherName", "verifiedPublisher", "firstParty", "multiTenant", "riskLevel", "riskScore", "riskSummary", "riskFactors", permissions, "permissionCount", "allUsers", "consentedUsers", "lastSignIn", change)
       VALUES ($1, $2, $3, $4, 'Contoso', $5, false, true, $6, $7, 'summary', '{}', $8, $9, $10, $11, $12, $13)`,
      [scanId, app.servicePrincipalId, app.appId, app.displayName, app.verified ? "Contoso Ltd" : null, app.riskLevel, app.riskScore, JSON.stringify(permissions), permissions.length, app.allUsers, app.consentedUsers, app.lastSignIn, app.change],
    );
  }
  // findings as the scan stores them: kind, severity and key (the words and revoke selection are derived when read)
  const { findingKey } = await import("./findings");
  for (let i = 0; i < 30; i += 1) {
    const app = apps[i]!;
    const kind = i % 2 ? "unused" : "tenant-wide-mail-or-files";
    const mailRead = { kind: "delegated", resourceAppId: GRAPH_API, value: "Mail.Read" } as Parameters<typeof findingKey>[2];
    await pool.query(
      `INSERT INTO "InventoryFinding" ("scanId", key, kind, severity, "servicePrincipalId", "appId", "appName") VALUES ($1, $2, $3, 'High', $4, $5, $6)`,
      [scanId, findingKey(kind, app.servicePrincipalId, kind === "unused" ? undefined : mailRead), kind, app.servicePrincipalId, app.appId, app.displayName],
    );
  }
  query = await import("./query");
  exporter = await import("./export");
}, 60_000);

afterAll(async () => {
  await pool.query(`DELETE FROM "InventoryFinding" WHERE "scanId" = $1`, [scanId]);
  await pool.query(`DELETE FROM "InventoryApp" WHERE "scanId" = $1`, [scanId]);
  await pool.query(`DELETE FROM "InventoryScan" WHERE id = $1`, [scanId]);
  await pool.end();
});

async function readAll(filter: InventoryFilter, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages += 1) {
    const page = await query.listInventoryApps(scanId, filter, { cursor, limit });
    ids.push(...page.rows.map((row) => row.servicePrincipalId));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error("paging did not end");
}

const key: Record<SortKey, (app: Seeded) => number | string | null> = {
  risk: (a) => a.riskScore,
  name: (a) => a.displayName,
  users: (a) => a.consentedUsers,
  signin: (a) => a.lastSignIn?.getTime() ?? null,
};

function expected(sort: SortKey, dir: SortDirection, keep: (app: Seeded) => boolean = () => true): string[] {
  const compare = (x: number | string | null, y: number | string | null) => {
    // Never signed in counts as the oldest.
    if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return apps
    .filter(keep)
    .sort((a, b) => (dir === "asc" ? 1 : -1) * compare(key[sort](a), key[sort](b)) || (a.servicePrincipalId < b.servicePrincipalId ? -1 : 1))
    .map((a) => a.servicePrincipalId);
}

describe("keyset pages of the inventory", () => {
  for (const sort of ["risk", "users", "signin"] as const) {
    for (const dir of ["asc", "desc"] as const) {
      it(`sorted by ${sort} ${dir}: every app once, in order, across pages of 10`, async () => {
        expect(await readAll({ sort, dir }, 10)).toEqual(expected(sort, dir));
      });
    }
  }

  it("sorted by name: every app once, names in the database's order, ties by id", async () => {
    const ids = await readAll({ sort: "name" }, 9);
    expect(new Set(ids).size).toBe(apps.length);
    const byId = new Map(apps.map((a) => [a.servicePrincipalId, a]));
    const names = ids.map((id) => byId.get(id)!.displayName);
    const collated = (await pool.query<{ n: string }>(`SELECT n FROM unnest($1::text[]) n ORDER BY n`, [[...new Set(names)]])).rows.map((r) => r.n);
    expect([...new Set(names)]).toEqual(collated);
  });

  it("filters by risk level, publisher, consent type and change, and pages the filtered set", async () => {
    expect(await readAll({ level: "High", sort: "users" }, 4)).toEqual(expected("users", "desc", (a) => a.riskLevel === "High"));
    expect(await readAll({ verified: "no" }, 7)).toEqual(expected("risk", "desc", (a) => !a.verified));
    expect(await readAll({ consent: "tenant-wide" }, 7)).toEqual(expected("risk", "desc", (a) => a.allUsers));
    expect(await readAll({ consent: "user" }, 7)).toEqual(expected("risk", "desc", (a) => a.consentedUsers > 0));
    expect(await readAll({ consent: "application" }, 3)).toEqual(expected("risk", "desc", (a) => a.application));
    expect(await readAll({ change: "any" }, 3)).toEqual(expected("risk", "desc", (a) => a.change !== null));
    expect(await readAll({ change: "changed" }, 3)).toEqual(expected("risk", "desc", (a) => a.change === "changed"));
  });

  it("searches by name (any case) and by app ID, and counts every match", async () => {
    const page = await query.listInventoryApps(scanId, { q: "app 07" }, { limit: 2 });
    expect(page.total).toBe(apps.filter((a) => a.displayName === "App 07").length);
    expect(await readAll({ q: "app 07" }, 2)).toEqual(expected("risk", "desc", (a) => a.displayName === "App 07"));
    const one = apps[42]!;
    expect(await readAll({ q: one.appId.toUpperCase() }, 5)).toEqual([one.servicePrincipalId]);
  });

  it("starts over at the first page for a cursor it did not make", async () => {
    const first = await query.listInventoryApps(scanId, {}, { limit: 5 });
    const forged = await query.listInventoryApps(scanId, {}, { cursor: "bm90LWpzb24", limit: 5 });
    expect(forged.rows).toEqual(first.rows);
  });

  it("pages findings by key and filters them by kind", async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await query.listFindings(scanId, { kind: "unused" }, { cursor, limit: 4 });
      all.push(...page.rows.map((r) => r.key));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toHaveLength(15);
    expect(all).toEqual([...all].sort());
    expect(all.every((k) => k.startsWith("unused|"))).toBe(true);
  });

  it("derives each finding's sentences and revoke selection from its app and the permission its key names", async () => {
    const i = apps.findIndex((app, index) => index < 30 && index % 2 === 1 && app.lastSignIn);
    const unusedApp = apps[i]!;
    const [unused] = (await query.listFindings(scanId, { kind: "unused", q: unusedApp.appId })).rows;
    // the days count from the scan's analysis time (summary.analysedAt, 2026-03-01), not from today
    const days = Math.round((Date.UTC(2026, 2, 1) - unusedApp.lastSignIn!.getTime()) / 86_400_000);
    const count = unusedApp.application ? 2 : 1;
    expect(unused?.title).toBe(`${unusedApp.displayName} has not signed in for ${days} days but keeps ${count} ${count === 1 ? "permission" : "permissions"}.`);
    expect(unused?.revoke.r).toEqual(unusedApp.application ? [`${GRAPH_API}|Files.Read.All`] : []);

    const mailApp = apps[0]!;
    const [mail] = (await query.listFindings(scanId, { kind: "tenant-wide-mail-or-files", q: mailApp.appId })).rows;
    expect(mail?.title).toBe(`${mailApp.displayName} holds Mail.Read ${mailApp.allUsers ? "for all users" : `for ${mailApp.consentedUsers} ${mailApp.consentedUsers === 1 ? "user" : "users"}`}, granted for the whole organization.`);
    expect(mail?.detail).toContain("still needs Mail.Read for everyone");
    expect(mail?.revoke).toEqual({ s: mailApp.allUsers ? [`${GRAPH_API}|Mail.Read`] : [], r: [], u: [] });
    expect(await query.findingByKey(scanId, mail!.key)).toEqual(mail);
  });

  it("finds findings by the permission their key names", async () => {
    const page = await query.listFindings(scanId, { q: "mail.read" }, { limit: 100 });
    expect(page.total).toBe(15);
    expect(page.rows.every((row) => row.kind === "tenant-wide-mail-or-files")).toBe(true);
  });
});

async function text(chunks: AsyncGenerator<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

describe("inventory export", () => {
  it("CSV holds every filtered app, with formula cells neutralized (S9)", async () => {
    const csv = await text(exporter.appExportChunks(scanId, { consent: "application" }, "csv"));
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe(exporter.APP_COLUMNS.join(","));
    expect(lines).toHaveLength(1 + apps.filter((a) => a.application).length);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil""),x"`);
    expect(csv).not.toMatch(/(^|,)"?=/m);
  });

  it("JSON is one array of the filtered findings", async () => {
    const rows = JSON.parse(await text(exporter.findingExportChunks(scanId, { kind: "tenant-wide-mail-or-files" }, "json"))) as { kind: string; appName: string }[];
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => r.kind === "tenant-wide-mail-or-files")).toBe(true);
    // JSON is data, not a spreadsheet: the name is exported as stored.
    expect(rows.map((r) => r.appName)).toContain("=HYPERLINK(\"http://evil\"),x");
  });
});
