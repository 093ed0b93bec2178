import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { AuditAppender, INSERT_SQL, readHead, rowJson } from "../../lib/audit/store";
import { exportHead, recordHead } from "../../lib/audit/verify";
import { listEvents } from "../../lib/audit/query";
import { createPool, pgSql, type AuditSql } from "../../lib/audit/sql";
import type { AuditFilter } from "../../lib/audit/filters";
import { migrate } from "../../scripts/lib/migrate";
import { ACTIONS, ACTORS, APPS, syntheticEvent, syntheticRecords } from "./generate";
import { freePort } from "../../scripts/lib/processes";
import { embeddedDatabaseUrl, newPassword, PASSWORD_ENV, serverCommand } from "../../scripts/lib/embedded-database";

/**
 * `npm run bench:audit [-- --events 1000000] [-- --backend pglite|postgres|both] [-- --only verify]
 *  [-- --rounds 3] [-- --new-events 100000]`
 * Generates the events (raw batched SQL, hashes chained in JS), then measures on each backend: append
 * rate through the portal's appender, filtered page queries, a full CSV export and a full chain
 * verification (each of those two in a child process, for its own peak RSS). Verification is measured
 * against the bare read of the same table in the same run, interleaved (read, verify, read, verify…),
 * and reported as their ratio, so a busy machine slows both alike; then a signed head is recorded,
 * `--new-events` more are loaded, and the routine check (verifySinceLastHead) is timed on them.
 * `--only verify` skips appends, queries and the export. PostgreSQL: a fresh
 * `audit_bench_<pid>` database on BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
const ROOT = path.join(import.meta.dirname, "..", "..");
const run = promisify(execFile);
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const EVENTS = Number(arg("--events", "1000000"));
const BACKEND = arg("--backend", "both");
const APPENDS = Number(arg("--appends", "20000"));
const QUERIES = Number(arg("--queries", "300"));
const ONLY_VERIFY = arg("--only", "") === "verify";
const ROUNDS = Number(arg("--rounds", "3"));
const NEW_EVENTS = Number(arg("--new-events", "100000"));
const HEAD_KEY = randomBytes(32).toString("hex");

type Row = {
  backend: string;
  load: string;
  append: string;
  appendSerial: string;
  p50: string;
  p95: string;
  worst: string;
  exportTime: string;
  exportRss: string;
  readTime: string;
  verifyTime: string;
  ratio: string;
  verifyRss: string;
  routine: string;
  machineLoad: string;
};

type Database = { url: string; kind: "embedded" | "postgres"; stop: () => Promise<void> };

async function startPglite(): Promise<Database> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "audit-bench-pglite-"));
  const port = await freePort();
  // The portal's embedded database server, password and all, so the figures include its gate.
  const password = newPassword();
  const server = serverCommand(dir, port);
  const child: ChildProcess = spawn(process.execPath, [server.script, ...server.args], { stdio: "ignore", env: { ...process.env, [PASSWORD_ENV]: password } });
  const url = embeddedDatabaseUrl(port, password);
  // Up to 3 minutes: a busy machine starts the WebAssembly database slowly.
  for (let i = 0; i < 900; i += 1) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    url,
    kind: "embedded",
    stop: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startPostgres(): Promise<Database> {
  const server = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  // One database per run, so two runs on one server do not drop each other's.
  const name = `audit_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "postgres",
    stop: async () => {
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]!;
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString("en-US")}/s`;

async function bulkLoad(pool: pg.Pool, total: number, offset = 0): Promise<number> {
  const started = performance.now();
  const sql = pgSql(pool);
  // Classic bulk load: secondary indexes dropped for the load and rebuilt after (timed as part of it).
  const { rows: indexes } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'AuditEvent' AND indexname <> 'AuditEvent_pkey'`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX "${index.indexname}"`);
  let head = await readHead(sql);
  const batch = 2_000;
  // Pipelined: the next batch is generated and hashed while the database inserts the previous one.
  let inFlight: Promise<unknown> = Promise.resolve();
  for (let from = 0; from < total; from += batch) {
    const records = await syntheticRecords(sql, head, offset + from, Math.min(batch, total - from), offset + total);
    head = { seq: records.at(-1)!.seq, hash: records.at(-1)!.hash };
    await inFlight;
    inFlight = pool.query(INSERT_SQL, [rowJson(records)]);
    if ((from / batch) % 50 === 0) process.stdout.write(`\r  loading ${from.toLocaleString("en-US")} / ${total.toLocaleString("en-US")}`);
  }
  await inFlight;
  process.stdout.write("\r");
  for (const index of indexes) await pool.query(index.indexdef);
  await pool.query(`ANALYZE "AuditEvent"`);
  return performance.now() - started;
}

async function appendRate(sql: AuditSql, count: number, concurrency: number): Promise<number> {
  const appender = new AuditAppender(sql);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await appender.append({ ...syntheticEvent(i, count), occurredAt: undefined });
      }
    }),
  );
  return performance.now() - started;
}

function queryMix(): { name: string; filter: AuditFilter; deep?: boolean }[] {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
  return Array.from({ length: QUERIES }, (_, i) => {
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 300) * 86_400_000).toISOString().slice(0, 10);
    const week = new Date(Date.parse(day) + 6 * 86_400_000).toISOString().slice(0, 10);
    switch (i % 8) {
      case 0: return { name: "app", filter: { app: pick(APPS).appId } };
      case 1: return { name: "actor", filter: { actor: pick(ACTORS).oid } };
      case 2: return { name: "action+outcome", filter: { action: pick(ACTIONS), outcome: "failed" } };
      case 3: return { name: "date range", filter: { from: day, to: week } };
      case 4: return { name: "app+date", filter: { app: pick(APPS).appId, from: day, to: week } };
      case 5: return { name: "justification text", filter: { q: "access review" } };
      case 6: return { name: "app, page 20", filter: { app: pick(APPS).appId }, deep: true };
      default: return { name: "no filter", filter: {} };
    }
  });
}

async function queryLatency(sql: AuditSql): Promise<{ p50: number; p95: number; worst: string }> {
  const times: number[] = [];
  const byName = new Map<string, number[]>();
  for (const { name, filter, deep } of queryMix()) {
    let cursor: string | undefined;
    if (deep) {
      // Walk to page 20 first (keyset), then time page 21.
      for (let p = 0; p < 20; p += 1) cursor = (await listEvents(sql, filter, { cursor, limit: 50 })).nextCursor ?? undefined;
    }
    const started = performance.now();
    await listEvents(sql, filter, { cursor, limit: 50 });
    const ms = performance.now() - started;
    times.push(ms);
    byName.set(name, [...(byName.get(name) ?? []), ms]);
  }
  const pct = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))]!;
  const kinds = [...byName.entries()].map(([name, list]) => ({ name, p95: pct(list, 0.95) })).sort((a, b) => b.p95 - a.p95);
  console.log(`  p95 by filter: ${kinds.map((k) => `${k.name} ${k.p95.toFixed(1)} ms`).join(", ")}`);
  const worst = kinds[0]!;
  return { p50: pct(times, 0.5), p95: pct(times, 0.95), worst: `${worst.name} ${worst.p95.toFixed(1)} ms` };
}

async function child(step: "export" | "verify" | "read" | "routine", db: Database): Promise<{ ms: number; maxRssMb: number; detail: string }> {
  const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  const { stdout } = await run(process.execPath, [tsx, path.join(import.meta.dirname, "child.ts"), step, "csv"], {
    maxBuffer: 1 << 20,
    cwd: ROOT,
    env: { ...process.env, BENCH_DATABASE_URL: db.url, BENCH_DATABASE_KIND: db.kind, BENCH_HEAD_KEY: HEAD_KEY },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { ms: number; maxRssMb: number; detail: string };
}

async function benchBackend(name: string, start: () => Promise<Database>): Promise<Row> {
  console.log(`\n== ${name}: ${EVENTS.toLocaleString("en-US")} events ==`);
  const db = await start();
  const pool = createPool(db.url, 8);
  try {
    await migrate(db.url, () => undefined);
    const loadMs = await bulkLoad(pool, EVENTS);
    console.log(`  bulk load (raw batched SQL): ${seconds(loadMs)} (${rate(EVENTS, loadMs)})`);
    const sql = pgSql(pool);
    const loadBefore = os.loadavg()[0]!;
    let serialMs = NaN;
    let appendMs = NaN;
    let q = { p50: NaN, p95: NaN, worst: "—" };
    let exported = { ms: NaN, maxRssMb: NaN, detail: "" };
    if (!ONLY_VERIFY) {
      serialMs = await appendRate(sql, 1_000, 1);
      console.log(`  append, one caller at a time: ${rate(1_000, serialMs)}`);
      appendMs = await appendRate(sql, APPENDS, 64);
      console.log(`  append, 64 concurrent callers (group commit): ${rate(APPENDS, appendMs)}`);
      q = await queryLatency(sql);
      console.log(`  filtered page (50 rows): p50 ${q.p50.toFixed(1)} ms, p95 ${q.p95.toFixed(1)} ms; slowest kind: ${q.worst}`);
      exported = await child("export", db);
      console.log(`  full CSV export: ${seconds(exported.ms)}, peak RSS ${exported.maxRssMb.toFixed(0)} MB, ${exported.detail}`);
    }
    // Interleaved, so the machine's load weighs on both alike: the ratio is the figure, not the times.
    const reads: number[] = [];
    const verifies: number[] = [];
    const ratios: number[] = [];
    let verifyRss = 0;
    for (let round = 1; round <= ROUNDS; round += 1) {
      const read = await child("read", db);
      const verified = await child("verify", db);
      if (!verified.detail.startsWith("OK")) throw new Error(`verification failed: ${verified.detail}`);
      reads.push(read.ms);
      verifies.push(verified.ms);
      ratios.push(verified.ms / read.ms);
      verifyRss = Math.max(verifyRss, verified.maxRssMb);
      console.log(
        `  round ${round}: bare read ${seconds(read.ms)} (${read.detail}), verify ${seconds(verified.ms)} (${verified.detail}, peak RSS ${verified.maxRssMb.toFixed(0)} MB), ratio ${(verified.ms / read.ms).toFixed(2)} — load ${os.loadavg()[0]!.toFixed(1)}`,
      );
    }
    // The routine check: a signed head at the end of the verified chain, then new events after it.
    const head = await readHead(sql);
    await recordHead(sql, exportHead({ ok: true, count: Number(head.seq), headSeq: head.seq.toString(), headHash: head.hash, ms: 0 }, HEAD_KEY));
    const newMs = await bulkLoad(pool, NEW_EVENTS, Number(head.seq));
    console.log(`  ${NEW_EVENTS.toLocaleString("en-US")} new events loaded after the signed head #${head.seq} (${seconds(newMs)})`);
    const routines: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const routine = await child("routine", db);
      if (!routine.detail.startsWith("OK")) throw new Error(`routine check failed: ${routine.detail}`);
      routines.push(routine.ms);
      console.log(`  routine check ${round}: ${seconds(routine.ms)} (${routine.detail}) — load ${os.loadavg()[0]!.toFixed(1)}`);
    }
    const loadAfter = os.loadavg()[0]!;
    const shown = (ms: number, text: string) => (Number.isNaN(ms) ? "—" : text);
    return {
      backend: name,
      load: rate(EVENTS, loadMs),
      append: shown(appendMs, rate(APPENDS, appendMs)),
      appendSerial: shown(serialMs, rate(1_000, serialMs)),
      p50: shown(q.p50, `${q.p50.toFixed(1)} ms`),
      p95: shown(q.p95, `${q.p95.toFixed(1)} ms`),
      worst: q.worst,
      exportTime: shown(exported.ms, seconds(exported.ms)),
      exportRss: shown(exported.maxRssMb, `${exported.maxRssMb.toFixed(0)} MB`),
      readTime: seconds(median(reads)),
      verifyTime: seconds(median(verifies)),
      ratio: `${median(ratios).toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(", ")})`,
      verifyRss: `${verifyRss.toFixed(0)} MB`,
      routine: `${(median(routines) / 1000).toFixed(2)} s`,
      machineLoad: `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`,
    };
  } finally {
    await pool.end();
    await db.stop();
  }
}

function printTable(rows: Row[]) {
  const lines: [string, string, ...string[]][] = [
    ["measure", "goal", ...rows.map((r) => r.backend)],
    ["bulk load (raw SQL, 2,000/batch)", "—", ...rows.map((r) => r.load)],
    [`append, 64 concurrent callers`, "≥ 3,000/s", ...rows.map((r) => r.append)],
    ["append, one caller at a time", "—", ...rows.map((r) => r.appendSerial)],
    ["filtered page p50", "—", ...rows.map((r) => r.p50)],
    ["filtered page p95", "≤ 20 ms", ...rows.map((r) => r.p95)],
    ["slowest filter kind (p95)", "—", ...rows.map((r) => r.worst)],
    ["full CSV export", "≤ 15 s", ...rows.map((r) => r.exportTime)],
    ["export peak RSS", "≤ 300 MB", ...rows.map((r) => r.exportRss)],
    ["bare read of the table (COPY), median", "—", ...rows.map((r) => r.readTime)],
    ["verify whole chain, median", "—", ...rows.map((r) => r.verifyTime)],
    ["verify ÷ bare read, median (rounds)", "≤ 1.5×", ...rows.map((r) => r.ratio)],
    ["verify peak RSS", "—", ...rows.map((r) => r.verifyRss)],
    [`routine check, ${NEW_EVENTS.toLocaleString("en-US")} new events`, `≤ 1 s per 100,000`, ...rows.map((r) => r.routine)],
    ["load average (1 min), start → end", "—", ...rows.map((r) => r.machineLoad)],
  ];
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((line) => (line[c] ?? "").length)));
  console.log(`\nAudit benchmark, ${EVENTS.toLocaleString("en-US")} events (${os.cpus().length} CPUs, Node ${process.version}), ${new Date().toISOString()}`);
  console.log(`Command: npm run bench:audit -- ${process.argv.slice(2).join(" ")}`.trimEnd());
  for (const [i, line] of lines.entries()) {
    console.log(`| ${line.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`);
    if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  }
}

async function main() {
  const rows: Row[] = [];
  if (BACKEND === "pglite" || BACKEND === "both") rows.push(await benchBackend("PGlite 0.5 (socket)", startPglite));
  if (BACKEND === "postgres" || BACKEND === "both") rows.push(await benchBackend("PostgreSQL 15", startPostgres));
  printTable(rows);
  console.log(`uptime: ${(await run("uptime")).stdout.trim()}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
