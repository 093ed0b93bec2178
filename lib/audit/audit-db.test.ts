import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { AuditUnavailableError, createAuditLog, type AuditActor } from "./audit-log";
import { encodedColumnsSql, GENESIS_HASH } from "./canonical";
import { CSV_COLUMNS, csvChunks, exportStream } from "./export";
import { listEvents } from "./query";
import { appendEvents, INSERT_SQL, legacyChain, rowJson } from "./store";
import { createPool, pgSql, prismaSql, type AuditSql } from "./sql";
import { ALEX, APPS, sampleEvent, TENANT } from "./testing/fixtures";
import { lastSignedHead, verifyChain, verifyRange, verifySinceLastHead, type RangeRunner } from "./verify";
import { parallelVerification } from "./verify-parallel";

// The audit store against a real database: embedded PGlite, or PostgreSQL when DATABASE_URL is set
// (vitest.global-setup.ts gives these tests a database of their own). One file, run in order: the
// tamper tests rewrite rows as the superuser and every test starts from an empty table.

const url = process.env.TEST_DATABASE_URL!;
let pool: pg.Pool;
let sql: AuditSql;

/** As a superuser behind the app's back: the trigger off, `statement`, the trigger back on. */
async function tamper(statement: string) {
  const client = await pool.connect();
  try {
    await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_update_delete`);
    await client.query(statement);
  } finally {
    await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_update_delete`);
    client.release();
  }
}

/** How many events of each hash encoding the table holds. */
async function encodings(): Promise<{ hashFormat: number; events: number }[]> {
  return (await pool.query(`SELECT "hashFormat" AS "hashFormat", count(*)::int AS events FROM "AuditEvent" GROUP BY 1 ORDER BY 1`)).rows;
}

/** The same store, counting the rows every statement returns (COPY included): what a check read. */
function counting(inner: AuditSql) {
  let rows = 0;
  const sql: AuditSql = {
    query: async <T,>(text: string, params?: readonly unknown[]) => {
      const result = await inner.query<T>(text, params);
      rows += result.length;
      return result;
    },
    transaction: (work) => inner.transaction(work),
    copyOut: async (statement) => {
      const result = await inner.copyOut(statement);
      rows += result.rows;
      return result;
    },
  };
  return { sql, rowsRead: () => rows };
}

async function emptyTable() {
  await tamper(`DELETE FROM "AuditEvent"`);
}

beforeAll(() => {
  if (!url) throw new Error("TEST_DATABASE_URL is not set (vitest.global-setup.ts starts the test database)");
  pool = createPool(url, 6);
  sql = pgSql(pool);
});
afterAll(async () => {
  await pool.end();
});
beforeEach(emptyTable);

const actor: AuditActor = { oid: ALEX.oid, tid: TENANT, upn: ALEX.upn, name: ALEX.name, roles: ["Global Administrator"] };
const context = { clientIp: "203.0.113.7", userAgent: "vitest" };

describe("append and verify", () => {
  it("chains events from the genesis hash and verifies OK with count and head hash", async () => {
    const records = await appendEvents(sql, [sampleEvent(), sampleEvent({ outcome: "failed" }), sampleEvent({ targetAppId: APPS.outreach.appId })]);
    expect(records.map((r) => r.seq)).toEqual([1n, 2n, 3n]);
    expect(records[0]?.prevHash).toBe(GENESIS_HASH);
    expect(records[1]?.prevHash).toBe(records[0]?.hash);
    const result = await verifyChain(sql);
    expect(result).toMatchObject({ ok: true, count: 3, headSeq: "3", headHash: records[2]?.hash });
  });

  it("skips events whose externalId is stored or earlier in the batch, without gaps in seq (imports run again)", async () => {
    const imported = (id: string, justification = id) => sampleEvent({ source: "entra", externalId: id, justification });
    expect((await appendEvents(sql, [imported("a"), imported("b")])).map((r) => r.seq)).toEqual([1n, 2n]);
    const again = await appendEvents(sql, [imported("b", "b again"), sampleEvent(), imported("c"), imported("c", "c twice"), imported("a", "a again")]);
    expect(again.map((r) => [r.seq, r.externalId, r.justification])).toEqual([
      [3n, null, sampleEvent().justification],
      [4n, "c", "c"],
    ]);
    expect(await appendEvents(sql, [imported("a"), imported("c")])).toEqual([]);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 4, headSeq: "4" });
  });

  it("reads back exactly what it hashed through Prisma too (the portal's driver)", async () => {
    const prismaPool = createPool(url, 2);
    const prisma = new PrismaClient({ adapter: new PrismaPg(prismaPool) });
    try {
      const viaPrisma = prismaSql(prisma, prismaPool);
      await appendEvents(viaPrisma, [sampleEvent({ before: { b: [1, 2.5, "x"], a: { z: null, y: true } }, after: null })]);
      await appendEvents(viaPrisma, [sampleEvent({ before: "ünïcödé ✓", justification: null, actorOid: null, graphRequestIds: [] })]);
      expect(await verifyChain(viaPrisma)).toMatchObject({ ok: true, count: 2 });
      expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 2 });
      expect(await encodings()).toEqual([{ hashFormat: 2, events: 2 }]);
    } finally {
      await prisma.$disconnect();
      await prismaPool.end();
    }
  });

  it("hashes the same through records (append) and text rows (verify, export) for awkward values", async () => {
    const awkward = "quote \" backslash \\ tab \t newline \n cr \r bell \u0007 unit \u001f del \u007f ünïcödé ✓ 😀 \u2028 </script>";
    await appendEvents(sql, [
      sampleEvent({
        justification: awkward,
        actorName: awkward,
        actorRoles: [awkward, "", "Global Administrator", "NULL", "null", "a,b {c}", " spaced "],
        graphRequestIds: [awkward],
        before: { "10": 1, "9": 2, b: [1.5, -0, 1e21, 0.1, "x", null, true], a: { "": awkward, z: { y: [] } }, ab: {}, "é": 1, "Z": 2 },
        after: [{ k: 1.0 }, 12345678901234567890, "s"],
        userAgent: null,
        targetId: "",
      }),
      sampleEvent({ before: "just a string", after: 42, actorRoles: [], graphRequestIds: [] }),
      sampleEvent({ before: null, after: false }),
    ]);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 3 });
    expect(await encodings()).toEqual([{ hashFormat: 2, events: 3 }]);
    const csv = await new Response(exportStream(sql, {}, "csv")).text();
    expect(csv).toContain("ünïcödé ✓ 😀");
  });

  it("verifies in chunks across chunk boundaries", async () => {
    await appendEvents(sql, Array.from({ length: 25 }, (_, i) => sampleEvent({ justification: `#${i}` })));
    expect(await verifyChain(sql, { chunk: 7 })).toMatchObject({ ok: true, count: 25, headSeq: "25" });
  });
});

describe("hash encodings", () => {
  it("encoding 2 is the event's line as COPY prints it: SHA-256 of that line is the stored hash", async () => {
    const awkward = "quote \" backslash \\ tab \t newline \n ünïcödé ✓ 😀 NULL \\N";
    await appendEvents(sql, [sampleEvent({ justification: awkward, actorRoles: [awkward, "a,b {c}"], before: { [awkward]: [awkward, 1.5e-7, 10] } }), sampleEvent({ after: null, actorOid: null })]);
    // The definition in docs/audit.md, computed here without the verifier: one COPY, one hash per line.
    const { data } = await sql.copyOut(`COPY (SELECT ${encodedColumnsSql("e")} FROM "AuditEvent" e ORDER BY e.seq) TO STDOUT`);
    const lines = data.toString("utf8").split("\n").slice(0, -1);
    const { rows } = await pool.query<{ hash: string }>(`SELECT hash FROM "AuditEvent" ORDER BY seq`);
    expect(lines.map((line) => createHash("sha256").update(line, "utf8").digest("hex"))).toEqual(rows.map((row) => row.hash));
    expect(lines[0]).toMatch(/^1\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t0{64}\tportal\t/);
  });

  // The events written before encoding 2 (hashFormat 1) stay in the chain, and new ones link onto them.
  async function mixedChain() {
    const legacy = legacyChain({ seq: 0n, hash: GENESIS_HASH }, Array.from({ length: 5 }, (_, i) => sampleEvent({ justification: `before ${i + 1}` })));
    await pool.query(INSERT_SQL, [rowJson(legacy)]);
    const appended = await appendEvents(sql, Array.from({ length: 5 }, (_, i) => sampleEvent({ justification: `after ${i + 6}` })));
    expect(appended[0]?.prevHash).toBe(legacy[4]?.hash);
    expect(await encodings()).toEqual([
      { hashFormat: 1, events: 5 },
      { hashFormat: 2, events: 5 },
    ]);
  }

  it("verifies a chain begun with encoding 1 and continued with encoding 2, in any chunking", async () => {
    await mixedChain();
    for (const chunk of [3, 5, 10]) expect(await verifyChain(sql, { chunk }), `chunks of ${chunk}`).toMatchObject({ ok: true, count: 10, headSeq: "10" });
    expect(await verifyChain(sql, parallelVerification(url, 2))).toMatchObject({ ok: true, count: 10 });
  });

  it.each([
    ["an encoding 1 event", `UPDATE "AuditEvent" SET justification = 'x' WHERE seq = 2`, "2"],
    ["an encoding 2 event", `UPDATE "AuditEvent" SET justification = 'x' WHERE seq = 8`, "8"],
    ["an encoding 2 event relabelled as encoding 1", `UPDATE "AuditEvent" SET "hashFormat" = 1 WHERE seq = 7`, "7"],
    ["an encoding 1 event relabelled as encoding 2", `UPDATE "AuditEvent" SET "hashFormat" = 2 WHERE seq = 4`, "4"],
  ])("finds %s altered in a mixed chain", async (_, statement, seq) => {
    await mixedChain();
    await tamper(statement);
    for (const chunk of [3, 10]) expect(await verifyChain(sql, { chunk })).toMatchObject({ ok: false, brokenSeq: seq, reason: "altered" });
  });
});

describe("append-only (S15)", () => {
  it("rejects UPDATE, DELETE and TRUNCATE", async () => {
    await appendEvents(sql, [sampleEvent()]);
    await expect(pool.query(`UPDATE "AuditEvent" SET justification = 'rewritten' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`DELETE FROM "AuditEvent" WHERE seq = 1`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 1 });
  });
});

describe("tampering behind the app's back is found at its sequence number", () => {
  beforeEach(async () => {
    await appendEvents(sql, Array.from({ length: 10 }, (_, i) => sampleEvent({ justification: `change ${i + 1}` })));
  });

  it("altered: a justification rewritten", async () => {
    await tamper(`UPDATE "AuditEvent" SET justification = 'nothing to see' WHERE seq = 6`);
    expect(await verifyChain(sql, { chunk: 4 })).toMatchObject({ ok: false, brokenSeq: "6", reason: "altered", count: 5 });
  });

  // Ranges checked at once (as worker threads do) report the same first break as one pass in order.
  const inRanges: RangeRunner = (tasks) => Promise.all(tasks.map((task) => verifyRange(sql, task)));
  it.each([
    ["altered", `UPDATE "AuditEvent" SET justification = 'x' WHERE seq = 8; UPDATE "AuditEvent" SET outcome = 'failed' WHERE seq = 3`, "3"],
    ["altered", `UPDATE "AuditEvent" SET outcome = 'failed', hash = repeat('a', 64) WHERE seq = 5`, "5"],
    ["missing", `DELETE FROM "AuditEvent" WHERE seq IN (4, 9)`, "4"],
    ["missing", `DELETE FROM "AuditEvent" WHERE seq = 5`, "5"],
    ["reordered", `UPDATE "AuditEvent" SET seq = -4 WHERE seq = 4; UPDATE "AuditEvent" SET seq = 4 WHERE seq = 5; UPDATE "AuditEvent" SET seq = 5 WHERE seq = -4`, "4"],
  ])("in parallel ranges: %s found at the first broken seq", async (reason, statement, seq) => {
    await tamper(statement);
    const sequential = await verifyChain(sql);
    expect(sequential).toMatchObject({ ok: false, brokenSeq: seq, reason, count: Number(seq) - 1 });
    for (const parts of [2, 3, 4, 10]) {
      const { ms: _ms, ...parallel } = await verifyChain(sql, { runner: inRanges, parts, chunk: 2 });
      const { ms: _ms2, ...expected } = sequential;
      expect(parallel, `${parts} ranges`).toEqual(expected);
    }
  });

  it("verifiers taking ranges from one queue, several each: the same first break as one pass in order", async () => {
    const cases = [
      `UPDATE "AuditEvent" SET justification = 'x' WHERE seq = 8; UPDATE "AuditEvent" SET outcome = 'failed' WHERE seq = 3`,
      `DELETE FROM "AuditEvent" WHERE seq IN (4, 9)`,
      `UPDATE "AuditEvent" SET seq = -4 WHERE seq = 4; UPDATE "AuditEvent" SET seq = 4 WHERE seq = 5; UPDATE "AuditEvent" SET seq = 5 WHERE seq = -4`,
    ];
    // This thread, warm, would take every range of so short a chain before the worker has started; the
    // workers alone take turns at them here.
    const queued = parallelVerification(url, 2, { inThisThread: false });
    expect(queued.parts).toBeGreaterThan(2);
    for (const statement of cases) {
      await tamper(`DELETE FROM "AuditEvent"`);
      await appendEvents(sql, Array.from({ length: 10 }, (_, i) => sampleEvent({ action: `consent.step${i}` })));
      const { ms: _ms, ...valid } = await verifyChain(sql);
      expect(await verifyChain(sql, queued)).toMatchObject({ ...valid, ok: true });
      await tamper(statement);
      const { ms: _ms2, ...sequential } = await verifyChain(sql);
      expect(sequential.ok).toBe(false);
      const { ms: _ms3, ...parallel } = await verifyChain(sql, queued);
      expect(parallel, statement).toEqual(sequential);
    }
  }, 60_000);

  it("in worker threads: OK with the same head, and the first break", async () => {
    const sequential = await verifyChain(sql);
    expect(await verifyChain(sql, parallelVerification(url, 3))).toMatchObject({ ok: true, count: 10, headSeq: "10", headHash: sequential.ok ? sequential.headHash : "" });
    await tamper(`UPDATE "AuditEvent" SET "actorUpn" = 'someone@else' WHERE seq = 7`);
    expect(await verifyChain(sql, parallelVerification(url, 3))).toMatchObject({ ok: false, brokenSeq: "7", reason: "altered", count: 6 });
  }, 60_000);

  it("altered: before/after JSON rewritten, hash left alone", async () => {
    await tamper(`UPDATE "AuditEvent" SET after = '{"scope":"User.Read"}' WHERE seq = 3`);
    expect(await verifyChain(sql)).toMatchObject({ ok: false, brokenSeq: "3", reason: "altered" });
  });

  it("altered: a row rewritten with a recomputed hash breaks the next link", async () => {
    // A careful forger recomputes row 4's hash; row 5 still points at the old one.
    await tamper(`UPDATE "AuditEvent" SET outcome = 'failed', hash = repeat('a', 64) WHERE seq = 4`);
    const result = await verifyChain(sql);
    expect(result).toMatchObject({ ok: false, brokenSeq: "4", reason: "altered" });
  });

  it("missing: a row deleted", async () => {
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 7`);
    expect(await verifyChain(sql)).toMatchObject({ ok: false, brokenSeq: "7", reason: "missing" });
  });

  it("missing: rows deleted from the end are caught against an exported head", async () => {
    const head = await verifyChain(sql);
    if (!head.ok) throw new Error("expected a valid chain");
    await tamper(`DELETE FROM "AuditEvent" WHERE seq >= 9`);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 8 });
    expect(await verifyChain(sql, { expected: { seq: head.headSeq, hash: head.headHash } })).toMatchObject({ ok: false, brokenSeq: "9", reason: "missing" });
  });

  it("reordered: two rows swapped", async () => {
    await tamper(`UPDATE "AuditEvent" SET seq = -4 WHERE seq = 4; UPDATE "AuditEvent" SET seq = 4 WHERE seq = 5; UPDATE "AuditEvent" SET seq = 5 WHERE seq = -4`);
    expect(await verifyChain(sql)).toMatchObject({ ok: false, brokenSeq: "4", reason: "reordered" });
  });
});

describe("concurrency", () => {
  it("two processes appending 100 events each leave one valid chain", async () => {
    const run = promisify(execFile);
    const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
    const worker = path.join(import.meta.dirname, "testing", "append-worker.ts");
    await Promise.all(["a", "b"].map((label) => run(process.execPath, [tsx, worker, url, "100", label], { cwd: process.cwd() })));
    const result = await verifyChain(sql);
    expect(result).toMatchObject({ ok: true, count: 200, headSeq: "200" });
    const perWorker = await pool.query(`SELECT action, count(*)::int AS n FROM "AuditEvent" GROUP BY action ORDER BY action`);
    expect(perWorker.rows).toEqual([
      { action: "concurrent.a", n: 100 },
      { action: "concurrent.b", n: 100 },
    ]);
  }, 120_000);

  it("many concurrent appends in one process are group-committed in order", async () => {
    const log = createAuditLog(sql);
    const records = await Promise.all(
      Array.from({ length: 300 }, (_, i) => log.recordEvent({ actor, context, action: "load", target: { type: "app" }, justification: `${i}`, outcome: "succeeded" })),
    );
    expect(new Set(records.map((r) => r.seq)).size).toBe(300);
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 300 });
  });
});

describe("no audit, no action (S16)", () => {
  const input = { actor, context, action: "consent.grantDelegated", target: { type: "oauth2PermissionGrant" as const, appId: APPS.nylas.appId, name: "Nylas" }, before: { scope: "" }, justification: "Needed" };

  it("writes intended then succeeded with one correlationId and the Graph request ids", async () => {
    const log = createAuditLog(sql);
    const result = await log.withAudit(input, async () => ({ result: 42, after: { scope: "Mail.Read" }, outcome: "succeeded", graphRequestIds: ["req-1", "req-2"] }));
    expect(result).toBe(42);
    const rows = (await pool.query(`SELECT outcome, "correlationId"::text AS c, "graphRequestIds" AS ids, after FROM "AuditEvent" ORDER BY seq`)).rows;
    expect(rows.map((r) => r.outcome)).toEqual(["intended", "succeeded"]);
    expect(rows[0].c).toBe(rows[1].c);
    expect(rows[1].ids).toEqual(["req-1", "req-2"]);
    expect(rows[1].after).toEqual({ scope: "Mail.Read" });
  });

  it("never calls the change when the intent cannot be written", async () => {
    const deadPool = createPool("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2", 1);
    const log = createAuditLog(pgSql(deadPool));
    let called = false;
    await expect(
      log.withAudit(input, async () => {
        called = true;
        return { result: 1, after: null, outcome: "succeeded", graphRequestIds: [] };
      }),
    ).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(called).toBe(false);
    await deadPool.end();
  });

  it("records a failed outcome with the error's Graph request ids, and rethrows", async () => {
    const log = createAuditLog(sql);
    const failure = Object.assign(new Error("Graph said 403"), { graphRequestIds: ["req-403"] });
    await expect(log.withAudit(input, () => Promise.reject(failure))).rejects.toBe(failure);
    const rows = (await pool.query(`SELECT outcome, "graphRequestIds" AS ids FROM "AuditEvent" ORDER BY seq`)).rows;
    expect(rows).toEqual([
      { outcome: "intended", ids: [] },
      { outcome: "failed", ids: ["req-403"] },
    ]);
  });
});

describe("no tokens in events (S14)", () => {
  it("strips JWTs and secret-named members everywhere; grep finds no eyJ", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
    const log = createAuditLog(sql);
    await log.withAudit(
      {
        actor,
        context: { clientIp: null, userAgent: `curl/8 Bearer ${jwt}` },
        action: "consent.grantDelegated",
        target: { type: "app", appId: APPS.nylas.appId },
        before: { access_token: jwt, nested: [{ clientSecret: "s3cr3t-value", note: `token was ${jwt}` }], password: "hunter2" },
        justification: `pasted by mistake: ${jwt}`,
      },
      async () => ({ result: null, after: { refreshToken: "opaque-refresh", Authorization: `Bearer ${jwt}`, scope: "Mail.Read" }, outcome: "succeeded", graphRequestIds: [] }),
    );
    const dump = (await pool.query(`SELECT row_to_json(e)::text AS row FROM "AuditEvent" e`)).rows.map((r) => r.row as string).join("\n");
    expect(dump).not.toContain("eyJ");
    expect(dump).not.toContain("s3cr3t-value");
    expect(dump).not.toContain("hunter2");
    expect(dump).not.toContain("opaque-refresh");
    expect(dump).toContain("Mail.Read");
    expect(await verifyChain(sql)).toMatchObject({ ok: true, count: 2 });
  });
});

describe("browse and export", () => {
  beforeEach(async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      sampleEvent({
        targetAppId: i % 3 === 0 ? APPS.outreach.appId : APPS.nylas.appId,
        targetName: i % 3 === 0 ? APPS.outreach.name : APPS.nylas.name,
        outcome: i % 5 === 0 ? "failed" : "succeeded",
        justification: i === 9 ? "=HYPERLINK(\"https://evil.example\",\"click\")" : `routine change ${i}`,
        occurredAt: new Date(Date.UTC(2026, 0, 1 + i)),
      }),
    );
    await appendEvents(sql, events);
  });

  it("pages newest first with a keyset cursor, filters combined", async () => {
    const first = await listEvents(sql, { app: APPS.nylas.appId }, { limit: 8 });
    expect(first.events.map((e) => e.seq)).toEqual([30n, 29n, 27n, 26n, 24n, 23n, 21n, 20n]);
    const second = await listEvents(sql, { app: APPS.nylas.appId }, { limit: 8, cursor: first.nextCursor! });
    expect(second.events[0]?.seq).toBe(18n);
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await listEvents(sql, { app: APPS.nylas.appId }, { limit: 7, cursor });
      all.push(...page.events);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toHaveLength(20);
    expect((await listEvents(sql, { app: "outreach", outcome: "failed" })).events.map((e) => e.seq)).toEqual([16n, 1n]);
    expect((await listEvents(sql, { from: "2026-01-05", to: "2026-01-06" })).events.map((e) => e.seq)).toEqual([6n, 5n]);
    expect((await listEvents(sql, { q: "HYPERLINK" })).events.map((e) => e.seq)).toEqual([10n]);
    expect((await listEvents(sql, { actor: ALEX.oid })).events).toHaveLength(30);
    expect((await listEvents(sql, { actor: "casey" })).events).toHaveLength(0);
  });

  it("keeps keyset pages exact when events share a timestamp", async () => {
    const at = new Date("2026-06-01T12:00:00.000Z");
    await appendEvents(sql, Array.from({ length: 7 }, () => sampleEvent({ action: "same.time", occurredAt: at })));
    const seen: bigint[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listEvents(sql, { action: "same.time" }, { cursor, limit: 3 });
      seen.push(page.events.map((e) => e.seq));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([[37n, 36n, 35n], [34n, 33n, 32n], [31n]]);
  });

  it("streams CSV of the filter only, formulas neutralized, and JSON Lines", async () => {
    const csv = await new Response(exportStream(sql, { app: APPS.outreach.appId }, "csv")).text();
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(11);
    expect(lines.slice(1).every((line) => line.includes(APPS.outreach.appId) && !line.includes(APPS.nylas.appId))).toBe(true);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["28", "25", "22", "19", "16", "13", "10", "7", "4", "1"]);
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""click"")"`);
    const jsonl = await new Response(exportStream(sql, { outcome: "failed" }, "jsonl")).text();
    const parsed = jsonl.trimEnd().split("\n").map((line) => JSON.parse(line) as { seq: string; outcome: string });
    expect(parsed.map((e) => e.seq)).toEqual(["26", "21", "16", "11", "6", "1"]);
  });
  it("exports in chunks whose seams lose and repeat nothing, even inside quoted multi-line cells", async () => {
    // Cells that look like the start of a line, with line breaks and quotes, right at each chunk's end.
    await appendEvents(sql, Array.from({ length: 9 }, (_, i) => sampleEvent({
      action: "seam.test",
      occurredAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i % 3, i % 3 === 1 ? 250 : 0)),
      justification: `line one\n${100 + i},2026-01-01 00:00:00,"quoted ""twice""\n`,
    })));
    const chunks: Buffer[] = [];
    for await (const chunk of csvChunks(sql, { action: "seam.test" }, 2)) chunks.push(chunk);
    expect(chunks).toHaveLength(5);
    const csv = Buffer.concat(chunks).toString("utf8");
    const seqs = [...csv.matchAll(/^(\d+),2026-06-01 /gm)].map((m) => m[1]);
    expect(seqs).toEqual(["39", "36", "33", "38", "35", "32", "37", "34", "31"]);
  });

  it.each([["justification"], ["actorName"], ["targetName"], ["userAgent"], ["clientIp"]] as const)("neutralizes formulas in %s (S9)", async (column) => {
    const dangerous = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"];
    await appendEvents(sql, dangerous.map((value) => sampleEvent({ action: "s9.test", [column]: value })));
    const csv = await new Response(exportStream(sql, { action: "s9.test" }, "csv")).text();
    for (const value of dangerous) {
      const quoted = /[",\r\n]/.test(value) ? `"'${value.replace(/"/g, '""')}"` : `'${value}`;
      expect(csv).toContain(`,${quoted},`);
    }
    expect(csv).not.toMatch(/,[=+\-@\t\r]/);
  });
});

describe("routine check: only the events after the last signed head", () => {
  const key = "k".repeat(32);
  beforeEach(async () => {
    await pool.query(`DELETE FROM "AuditHead"`);
  });

  const events = (n: number, label = "routine") => appendEvents(sql, Array.from({ length: n }, (_, i) => sampleEvent({ action: `${label}.${i}` })));

  it("with no head yet checks the whole chain and records a signed head; the next run reads only the events after it", async () => {
    await events(40);
    const first = await verifySinceLastHead(sql, { signingKey: key, record: true });
    expect(first).toMatchObject({ ok: true, since: null, headSeq: "40", checked: 40 });
    expect((await lastSignedHead(sql, key))?.head).toMatchObject({ seq: "40", hash: first.ok ? first.headHash : "" });

    await events(7);
    const counted = counting(sql);
    const second = await verifySinceLastHead(counted.sql, { signingKey: key, record: true });
    expect(second).toMatchObject({ ok: true, since: { seq: "40" }, headSeq: "47", count: 47, checked: 7 });
    // The 7 new events, plus the head row, the head's own event and the chain's end: never the 40 before.
    expect(counted.rowsRead()).toBeLessThanOrEqual(7 + 3);
    expect((await lastSignedHead(sql, key))?.head.seq).toBe("47");
    const full = await verifyChain(sql);
    expect(second.ok && full.ok && second.headHash === full.headHash).toBe(true);

    const idle = counting(sql);
    expect(await verifySinceLastHead(idle.sql, { signingKey: key, record: true })).toMatchObject({ ok: true, since: { seq: "47" }, checked: 0 });
    expect(idle.rowsRead()).toBeLessThanOrEqual(3);
  });

  it("catches an event tampered with after the last signed head, and records no head", async () => {
    await events(10);
    await verifySinceLastHead(sql, { signingKey: key, record: true });
    await events(10);
    await tamper(`UPDATE "AuditEvent" SET justification = 'nothing to see' WHERE seq = 15`);
    expect(await verifySinceLastHead(sql, { signingKey: key, record: true })).toMatchObject({ ok: false, brokenSeq: "15", reason: "altered", since: { seq: "10" } });
    expect((await lastSignedHead(sql, key))?.head.seq).toBe("10");
  });

  it("in worker threads (audit:verify --since-last-head): only the new events, and the first break among them", async () => {
    await events(10);
    await verifySinceLastHead(sql, { signingKey: key, record: true });
    await events(12);
    expect(await verifySinceLastHead(sql, { ...parallelVerification(url, 3), signingKey: key })).toMatchObject({ ok: true, since: { seq: "10" }, headSeq: "22", checked: 12 });
    await tamper(`UPDATE "AuditEvent" SET "actorUpn" = 'someone@else' WHERE seq = 18`);
    expect(await verifySinceLastHead(sql, { ...parallelVerification(url, 3), signingKey: key })).toMatchObject({ ok: false, brokenSeq: "18", reason: "altered", checked: 8 });
  }, 60_000);

  it("does not see an event tampered with before the head; the full pass does", async () => {
    await events(10);
    await verifySinceLastHead(sql, { signingKey: key, record: true });
    await events(5);
    await tamper(`UPDATE "AuditEvent" SET justification = 'nothing to see' WHERE seq = 4`);
    expect(await verifySinceLastHead(sql, { signingKey: key })).toMatchObject({ ok: true, since: { seq: "10" }, checked: 5 });
    expect(await verifyChain(sql)).toMatchObject({ ok: false, brokenSeq: "4", reason: "altered" });
  });

  it("catches the head's own event rewritten, or removed with the events after it", async () => {
    await events(10);
    await verifySinceLastHead(sql, { signingKey: key, record: true });
    await tamper(`UPDATE "AuditEvent" SET outcome = 'failed', hash = repeat('b', 64) WHERE seq = 10`);
    expect(await verifySinceLastHead(sql, { signingKey: key })).toMatchObject({ ok: false, brokenSeq: "10", reason: "altered" });
    await tamper(`DELETE FROM "AuditEvent" WHERE seq >= 9`);
    expect(await verifySinceLastHead(sql, { signingKey: key })).toMatchObject({ ok: false, brokenSeq: "10", reason: "missing" });
  });

  it("refuses a head written without the key, and passes over heads of another key", async () => {
    await events(10);
    await verifySinceLastHead(sql, { signingKey: key, record: true });
    const { head } = (await lastSignedHead(sql, key))!;
    await pool.query(`INSERT INTO "AuditHead" (seq, hash, count, "exportedAt", "keyId", signature) VALUES (12, $1, 12, now(), $2, repeat('0', 64))`, [head.hash, head.signature!.keyId]);
    await events(5);
    expect(await verifySinceLastHead(sql, { signingKey: key })).toMatchObject({ ok: false, brokenSeq: "12", reason: "altered", since: { seq: "12" } });
    // Another key (rotated): its heads are not this key's, so the check starts from the first event.
    expect(await verifySinceLastHead(sql, { signingKey: "r".repeat(32) })).toMatchObject({ ok: true, since: null, checked: 15 });
  });
});
