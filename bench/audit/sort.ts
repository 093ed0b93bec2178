import os from "node:os";
import pg from "pg";
import { listChanges, type ChangeOrder } from "../../lib/audit/query";
import { pgSql } from "../../lib/audit/sql";
import { INSERT_SQL, readHead, rowJson } from "../../lib/audit/store";
import { migrate } from "../../scripts/lib/migrate";
import { syntheticRecords } from "./generate";

/**
 * `node node_modules/tsx/dist/cli.mjs bench/audit/sort.ts [--events 200000]`: the audit list sorted by
 * app and by actor (listChanges, 50 a page) on PostgreSQL, without and with the name-order expression
 * indexes of migration 20261210000000_audit_name_order_indexes: page 1 and page 21 (after walking 20
 * keyset pages), median of 5, and each query's plan. A fresh `audit_sort_<pid>` database on
 * BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres), dropped afterwards.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const EVENTS = Number(arg("--events", "200000"));
const NAME_INDEXES = ["AuditEvent_app_name_order_idx", "AuditEvent_actor_name_order_idx"];

async function load(pool: pg.Pool, total: number) {
  const sql = pgSql(pool);
  let head = await readHead(sql);
  for (let from = 0; from < total; from += 2_000) {
    const records = await syntheticRecords(sql, head, from, Math.min(2_000, total - from), total);
    head = { seq: records.at(-1)!.seq, hash: records.at(-1)!.hash };
    await pool.query(INSERT_SQL, [rowJson(records)]);
  }
  await pool.query(`ANALYZE "AuditEvent"`);
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!;

/** Page 1 and page 21 of one order: median milliseconds of 5, and the cursor of page 21. */
async function time(pool: pg.Pool, order: ChangeOrder) {
  const sql = pgSql(pool);
  let cursor: string | undefined;
  for (let p = 0; p < 20; p += 1) cursor = (await listChanges(sql, {}, { order, limit: 50, cursor })).nextCursor ?? undefined;
  const run = async (at?: string) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await listChanges(sql, {}, { order, limit: 50, cursor: at });
      times.push(performance.now() - started);
    }
    return median(times);
  };
  return { first: await run(), deep: await run(cursor), cursor };
}

/** The heads query of listChanges as EXPLAIN ANALYZE prints it: what the plan does, in its first lines. */
async function plan(pool: pg.Pool, order: ChangeOrder, cursor?: string) {
  const captured: string[] = [];
  const spy = {
    query: async <T>(text: string, params: unknown[] = []) => {
      if (captured.length === 0 && text.includes("NOT EXISTS")) {
        const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${text}`, params);
        captured.push(...rows.map((row) => row["QUERY PLAN"]));
      }
      return (await pool.query(text, params)).rows as T[];
    },
  };
  await listChanges({ ...pgSql(pool), ...spy } as ReturnType<typeof pgSql>, {}, { order, limit: 50, cursor });
  // The cursor's own look-ups by primary key are left out: one row each, the same with or without.
  const lines = captured.filter((line, i) => /Scan|Sort|Limit|Index Cond|Rows Removed/.test(line) && !/"AuditEvent_pkey"|seq = '/.test(line) && !/seq = '/.test(captured[i] ?? ""));
  return [...lines.slice(0, 7), ...captured.filter((line) => line.includes("Execution Time"))];
}

async function main() {
  const server = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `audit_sort_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // An idle connection ended by the DROP … WITH (FORCE) at the end is expected, not a failure.
  pool.on("error", () => undefined);
  try {
    await migrate(url.toString(), () => undefined);
    const loadStarted = performance.now();
    await load(pool, EVENTS);
    console.log(`Loaded ${EVENTS.toLocaleString("en-US")} events in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; load average ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
    const { rows: definitions } = await pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = ANY($1)`, [NAME_INDEXES]);
    if (definitions.length !== NAME_INDEXES.length) throw new Error("The name-order indexes are missing: is the migration applied?");
    for (const index of NAME_INDEXES) await pool.query(`DROP INDEX "${index}"`);
    for (const phase of ["without", "with"] as const) {
      if (phase === "with") {
        for (const { indexdef } of definitions) await pool.query(indexdef);
        await pool.query(`ANALYZE "AuditEvent"`);
      }
      for (const order of ["app", "actor"] as const) {
        const { first, deep, cursor } = await time(pool, order);
        console.log(`${phase} the indexes, sort=${order}: page 1 ${first.toFixed(1)} ms, page 21 ${deep.toFixed(1)} ms`);
        for (const line of await plan(pool, order)) console.log(`    page 1  | ${line.trim()}`);
        for (const line of await plan(pool, order, cursor)) console.log(`    page 21 | ${line.trim()}`);
      }
    }
    console.log(`Load average after: ${os.loadavg().map((n) => n.toFixed(2)).join(" ")}`);
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
