import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jobClaims } from "@/lib/jobs/claims";
import { claimRunsThrough, every } from "@/lib/jobs/schedule";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { listEvents } from "./query";
import { AuditChainBrokenError, CHAIN_BROKEN_ACTION, createScheduledAuditCheck } from "./scheduled-check";
import { createPool, pgSql, type AuditSql } from "./sql";
import { appendEvents } from "./store";
import { sampleEvent, TENANT } from "./testing/fixtures";
import { lastSignedHead, verifyChain } from "./verify";

// The routine audit check as the portal's job runs it, against a database of its own (it rewrites rows
// behind the app's back, as the superuser, the way the verification tests tamper).

const key = "s".repeat(32);
let database: TestDatabase;
let pool: pg.Pool;
let sql: AuditSql;

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

/** The error lines the check logs, kept instead of printed. */
function capturedLog() {
  const lines: { fields: Record<string, unknown>; message: string }[] = [];
  return { lines, log: () => ({ error: (fields: Record<string, unknown>, message: string) => void lines.push({ fields, message }) }) as never };
}

const events = (n: number) => appendEvents(sql, Array.from({ length: n }, (_, i) => sampleEvent({ action: `consent.step${i}` })));

beforeAll(async () => {
  database = await freshTestDatabase("audit_scheduled_check");
  pool = createPool(database.url, database.poolSize);
  sql = pgSql(pool);
}, 120_000);
afterAll(async () => {
  claimRunsThrough(null);
  await pool?.end();
  await database?.stop();
});
beforeEach(async () => {
  await tamper(`DELETE FROM "AuditEvent"`);
  await pool.query(`DELETE FROM "AuditHead"`);
  await pool.query(`DELETE FROM "JobRun"`);
});

describe("the scheduled audit check", () => {
  it("verifies the new events, records a signed head, and the next run starts from it", async () => {
    const captured = capturedLog();
    const check = createScheduledAuditCheck({ sql, signingKey: key, tenantId: TENANT, log: captured.log });
    await events(12);
    expect(await check()).toMatchObject({ ok: true, since: null, checked: 12, headSeq: "12" });
    const full = await verifyChain(sql);
    expect((await lastSignedHead(sql, key))?.head).toMatchObject({ seq: "12", hash: full.ok ? full.headHash : "not ok" });

    await events(5);
    expect(await check()).toMatchObject({ ok: true, since: { seq: "12" }, checked: 5, headSeq: "17" });
    expect((await lastSignedHead(sql, key))?.head.seq).toBe("17");
    // A passing check leaves no event of its own in the trail and logs no error.
    expect((await listEvents(sql, { action: CHAIN_BROKEN_ACTION }, { limit: 10 })).events).toHaveLength(0);
    expect(captured.lines).toHaveLength(0);
  });

  it("reports an event tampered with after the last head: error log, a failed audit event, no new head", async () => {
    const captured = capturedLog();
    const check = createScheduledAuditCheck({ sql, signingKey: key, tenantId: TENANT, log: captured.log });
    await events(8);
    await check();
    await events(6);
    await tamper(`UPDATE "AuditEvent" SET justification = 'nothing to see' WHERE seq = 11`);

    await expect(check()).rejects.toThrow(AuditChainBrokenError);
    expect(captured.lines).toHaveLength(1);
    expect(captured.lines[0]!.fields).toMatchObject({ brokenSeq: "11", reason: "altered", since: { seq: "8" } });
    expect(captured.lines[0]!.message).toMatch(/broken at event 11 \(altered\): event 11 does not match its hash/);

    const { events: reported } = await listEvents(sql, { action: CHAIN_BROKEN_ACTION }, { limit: 10 });
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ outcome: "failed", targetId: "11", after: { brokenSeq: "11", reason: "altered", since: { seq: "8" } } });
    expect((await lastSignedHead(sql, key))?.head.seq).toBe("8");
  });

  it("as a job: the broken run is recorded as failed with what failed", async () => {
    claimRunsThrough(jobClaims(pool, "test-instance"));
    const check = createScheduledAuditCheck({ sql, signingKey: key, tenantId: TENANT, log: capturedLog().log });
    const job = every("audit-check-test", 3_600_000, async () => void (await check()));
    try {
      await events(4);
      await tamper(`UPDATE "AuditEvent" SET "actorUpn" = 'someone@else' WHERE seq = 3`);
      await job.runNow();
      const { rows } = await pool.query<{ outcome: string; error: string }>(`SELECT outcome, error FROM "JobRun" WHERE job = 'audit-check-test'`);
      expect(rows).toEqual([{ outcome: "failed", error: expect.stringMatching(/AuditChainBrokenError: Audit chain broken at event 3 \(altered\)/) }]);
      expect(await lastSignedHead(sql, key)).toBeNull();
    } finally {
      job.stop();
      claimRunsThrough(null);
    }
  });
});

describe("bounded chunks (what the check reads)", () => {
  it("reports a whole missing chunk, and one cut short, at the first missing sequence number", async () => {
    await events(14);
    expect(await verifyChain(sql, { chunk: 5 })).toMatchObject({ ok: true, count: 14 });
    await tamper(`DELETE FROM "AuditEvent" WHERE seq BETWEEN 9 AND 10`);
    expect(await verifyChain(sql, { chunk: 5 })).toMatchObject({ ok: false, brokenSeq: "9", reason: "missing", detail: expect.stringContaining("next stored event is 11") });
    await tamper(`DELETE FROM "AuditEvent" WHERE seq BETWEEN 6 AND 8`);
    expect(await verifyChain(sql, { chunk: 5 })).toMatchObject({ ok: false, brokenSeq: "6", reason: "missing", detail: expect.stringContaining("next stored event is 11") });
  });

  it("chunks hashed in slices while the next one is read: a break deep in a chunk, or in the one read ahead, at its place", async () => {
    // More rows per chunk than one slice (verifyRange hands the event loop back every 500 rows).
    await events(1_300);
    const job = createScheduledAuditCheck({ sql, signingKey: key, tenantId: TENANT, log: capturedLog().log });
    expect(await job()).toMatchObject({ ok: true, headSeq: "1300", checked: 1300 });
    await events(1_300);
    await tamper(`UPDATE "AuditEvent" SET justification = 'nothing to see' WHERE seq IN (2240, 2550)`);
    await expect(job()).rejects.toThrow(/event 2240 \(altered\)/);
    expect(await verifyChain(sql, { chunk: 1_200 })).toMatchObject({ ok: false, brokenSeq: "2240", reason: "altered" });
    await tamper(`DELETE FROM "AuditEvent" WHERE seq = 1801`);
    await expect(job()).rejects.toThrow(/event 1801 \(missing\)/);
    expect(await verifyChain(sql, { chunk: 1_200 })).toMatchObject({ ok: false, brokenSeq: "1801", reason: "missing", detail: expect.stringContaining("next stored event is 1802") });
  }, 120_000);
});
