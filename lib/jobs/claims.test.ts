import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/audit/sql";
import { freshTestDatabase, type TestDatabase } from "@/scripts/lib/test-database";
import { jobClaims } from "./claims";
import { claimRunsThrough, every, settled, stopAll } from "./schedule";

// Job claims on the real database (PGlite, or PostgreSQL with DATABASE_URL): two instances asking for
// the same period get one run between them; a run not yet finished keeps the next period from starting.

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await freshTestDatabase("job_claims");
  pool = createPool(database.url, database.poolSize);
}, 60_000);

afterEach(() => {
  stopAll();
  claimRunsThrough(null);
});

afterAll(async () => {
  await pool?.end();
  await database?.stop();
});

const runs = async (job: string) =>
  (await pool.query<{ period: string; instance: string; outcome: string | null }>(`SELECT "period"::text, "instance", "outcome" FROM "JobRun" WHERE "job" = $1 ORDER BY "period"`, [job])).rows;

describe("jobClaims(pool)", () => {
  it("gives one period of a job to exactly one of several instances asking at once", async () => {
    const instances = ["host-a:1", "host-b:2", "host-c:3"].map((name) => jobClaims(pool, name));
    for (let period = 1; period <= 5; period += 1) {
      const claims = await Promise.all(instances.map((store) => store.claim("drift-import", period, 60_000)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      await claims.find(Boolean)!.finish("succeeded");
    }
    const rows = await runs("drift-import");
    expect(rows.map((row) => row.period)).toEqual(["1", "2", "3", "4", "5"]);
    expect(rows.every((row) => row.outcome === "succeeded")).toBe(true);
  });

  it("starts no new period while a run is unfinished within its lease, and does once it finished or the lease ran out", async () => {
    const a = jobClaims(pool, "host-a:1");
    const b = jobClaims(pool, "host-b:2");
    const first = await a.claim("notifications", 10, 60_000);
    expect(first).not.toBeNull();
    expect(await b.claim("notifications", 11, 60_000)).toBeNull();
    await first!.finish("failed", "SMTP refused");
    const second = await b.claim("notifications", 12, 60_000);
    expect(second).not.toBeNull();
    // b "dies" without finishing: once the lease is over, a takes the job again.
    expect(await a.claim("notifications", 13, 60_000)).toBeNull();
    expect(await a.claim("notifications", 14, 1)).not.toBeNull();
    expect(await runs("notifications")).toEqual([
      { period: "10", instance: "host-a:1", outcome: "failed" },
      { period: "12", instance: "host-b:2", outcome: null },
      { period: "14", instance: "host-a:1", outcome: null },
    ]);
  });
});

describe("every(...) with claims", () => {
  it("runs a job only in periods this instance claimed, and records each run's outcome", async () => {
    // Another instance already holds the period the first run falls in.
    const ms = 400;
    const taken = Math.floor(Date.now() / ms);
    await (await jobClaims(pool, "other:9").claim("reconcile-outcomes", taken, 60_000))!.finish("succeeded");
    claimRunsThrough(jobClaims(pool, "this:1"));
    let ran = 0;
    const job = every("reconcile-outcomes", ms, async () => void (ran += 1));
    if (Math.floor(Date.now() / ms) === taken) {
      await job.runNow();
      expect(ran).toBe(0);
    }
    // The next period is this instance's.
    await new Promise((resolve) => setTimeout(resolve, (taken + 1) * ms - Date.now() + 5));
    await job.runNow();
    job.stop();
    await settled();
    const mine = (await runs("reconcile-outcomes")).filter((row) => row.instance === "this:1");
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(ran).toBe(mine.length);
    expect(mine[0]).toEqual({ period: String(taken + 1), instance: "this:1", outcome: "succeeded" });
  });
});
