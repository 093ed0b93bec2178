import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import tenantFixture from "../../sim/fixtures/tenant.json";
import { ensureCertificate } from "../../sim/local-secrets";
import { simulatedTenantEnv } from "../../sim/portal-env";
import { freePort } from "../../scripts/lib/processes";
import { freshTestDatabase } from "../../scripts/lib/test-database";
import type { Expected, Minimum, SimCounters, SimReady, TenantSize, WorkerResult } from "./protocol";
import { runSimulator } from "./simulator";
import { runWorker } from "./worker";

/**
 * `npm run bench:inventory [-- --sps 10000] [--grants N] [--assignments N] [--latency 50]
 *   [--baseline-concurrency 5] [--no-baseline] [--concurrency N] [--database postgres|pglite] [--throttle-rate 0]
 *   [--collect-only] [--sql-profile] [--keep-database] [--cpu-prof]`
 *
 * The consent inventory against a generated simulated tenant (`--sps` service principals, by default
 * three delegated grants and one and a half app role assignments each), `--latency` ms added by the
 * simulator before every Graph answer (standing for the network). One after the other, each in a
 * process of its own: (a) the classic per-app enumeration (lib/graph/classic-enumeration.ts,
 * `--baseline-concurrency` apps at a time), (b) the portal's scan (lib/inventory/scan scanTenant) into
 * a fresh, migrated database. Prints wall times, Graph calls (as the simulator counts them, each $batch
 * part on its own) and HTTP requests, the fewest calls that can read the tenant, peak RSS, whether each
 * found every grant and application permission the simulator holds, and where the scan's time went.
 * --database postgres: a fresh database on BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
 * pglite: the embedded database `npm start` uses, in memory, one connection as the portal uses it.
 * --collect-only stops the scan's clock when its rows are stored and its analysis begins (labelled so).
 * --sql-profile lists the scan's slowest statements; --keep-database leaves the database for EXPLAIN;
 * --cpu-prof writes the scan process's CPU profile to $TMPDIR/bench-inventory-prof.
 */
const ROOT = path.join(import.meta.dirname, "..", "..");
const TLS_DIR = path.join(os.tmpdir(), "consent-portal-bench-inventory");

const argv = process.argv;
const has = (name: string) => argv.includes(name);
const text = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const num = (name: string, fallback: number, min = 0) => {
  const value = Number(text(name, String(fallback)));
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}`);
  return value;
};

const SPS = num("--sps", 10_000, 1);
const SIZE: TenantSize = { servicePrincipals: SPS, grants: num("--grants", SPS * 3), appRoleAssignments: num("--assignments", Math.round(SPS * 1.5)) };
const LATENCY_MS = num("--latency", 50);
/** PowerShell 7's ForEach-Object -Parallel runs 5 at a time unless told otherwise (-ThrottleLimit). */
const BASELINE_CONCURRENCY = num("--baseline-concurrency", 5, 1);
const SCAN_CONCURRENCY = has("--concurrency") ? num("--concurrency", 4, 1) : undefined;
const DATABASE = text("--database", "postgres");
const THROTTLE_RATE = num("--throttle-rate", 0);
const TENANT_ID = tenantFixture.tenantId;

type Started = { child: ChildProcess; next: <T>(kind: string) => Promise<T> };

/** A child process of this same script in another role, with a way to wait for its next message of a kind. */
function startRole(role: string[], env: NodeJS.ProcessEnv, execArgv: string[] = []): Started {
  const child = spawn(process.execPath, [...process.execArgv, ...execArgv, import.meta.filename, ...role, ...argv.slice(2)], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const inbox: { kind: string }[] = [];
  const waiting: { kind: string; resolve: (message: unknown) => void; reject: (error: Error) => void }[] = [];
  child.on("message", (message: { kind: string }) => {
    const i = waiting.findIndex((w) => w.kind === message.kind);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(message);
    else inbox.push(message);
  });
  child.once("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${role.join(" ")} exited (${code}) before sending "${w.kind}"`));
  });
  const next = <T>(kind: string) => new Promise<T>((resolve, reject) => {
    const i = inbox.findIndex((m) => m.kind === kind);
    if (i >= 0) return resolve(inbox.splice(i, 1)[0] as T);
    if (child.exitCode !== null) return reject(new Error(`${role.join(" ")} has exited`));
    waiting.push({ kind, resolve: resolve as (message: unknown) => void, reject });
  });
  return { child, next };
}

async function startDatabase(): Promise<{ url: string; poolSize: number; label: string; stop: () => Promise<void> }> {
  if (DATABASE === "postgres") {
    process.env.DATABASE_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    const db = await freshTestDatabase(`inventory_bench_${process.pid}`);
    delete process.env.DATABASE_URL;
    // the portal's default pool (DATABASE_POOL_SIZE)
    return { url: db.url, poolSize: 10, label: "PostgreSQL (pool of 10)", stop: db.stop };
  }
  if (DATABASE !== "pglite") throw new Error("--database must be postgres or pglite");
  delete process.env.DATABASE_URL;
  const db = await freshTestDatabase("unused");
  return { url: db.url, poolSize: db.poolSize, label: `PGlite in memory (pool of ${db.poolSize}, as npm start runs it)`, stop: db.stop };
}

type Run = { name: string; result: WorkerResult; counters: SimCounters; grants: Set<string>; assignments: Set<string> };

async function enumerate(sim: Started, kind: "baseline" | "scan", env: NodeJS.ProcessEnv): Promise<Omit<Run, "grants" | "assignments"> & { found: WorkerResult }> {
  const counters = async () => {
    sim.child.send({ kind: "counters" });
    return (await sim.next<{ counters: SimCounters }>("counters")).counters;
  };
  const profileArgs = has("--cpu-prof") && kind === "scan" ? ["--cpu-prof", `--cpu-prof-dir=${path.join(os.tmpdir(), "bench-inventory-prof")}`] : [];
  const worker = startRole(["--worker", kind], env, profileArgs);
  await worker.next("warm");
  const before = await counters();
  worker.child.send({ kind: "go" });
  const result = await worker.next<WorkerResult>("result");
  const after = await counters();
  const delta: SimCounters = {
    httpRequests: after.httpRequests - before.httpRequests, graphCalls: after.graphCalls - before.graphCalls,
    throttled: after.throttled - before.throttled, busyMs: after.busyMs - before.busyMs,
  };
  return { name: kind, result, counters: delta, found: result };
}

async function scanRows(url: string, scanId: string): Promise<{ grants: Set<string>; assignments: Set<string> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const grants = await client.query<{ id: string }>(`SELECT id FROM "InventoryGrant" WHERE "scanId" = $1::uuid`, [scanId]);
    const assignments = await client.query<{ id: string }>(`SELECT id FROM "InventoryAssignment" WHERE "scanId" = $1::uuid`, [scanId]);
    return { grants: new Set(grants.rows.map((r) => r.id)), assignments: new Set(assignments.rows.map((r) => r.id)) };
  } finally {
    await client.end();
  }
}

const missing = (expected: string[], found: Set<string>) => expected.reduce((n, id) => n + (found.has(id) ? 0 : 1), 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row, index) => {
    const line = `| ${row.map((cell, column) => (column > 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(" | ")} |`;
    return index === 0 ? `${line}\n|${widths.map((width, column) => (column > 0 ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|` : line;
  }).join("\n");
}

function minimumCalls(m: Minimum): number {
  return m.servicePrincipalPages + m.grantPages + m.assignmentCalls + m.nameResolution + m.signInPages;
}

async function bench(): Promise<void> {
  const [loginPort, graphPort] = [await freePort(), await freePort()];
  console.log(`Generating the tenant (${SIZE.servicePrincipals} service principals, ${SIZE.grants} grants, ${SIZE.appRoleAssignments} app role assignments)…`);
  const sim = startRole(["--simulator", String(loginPort), String(graphPort)], process.env);
  const ready = await sim.next<SimReady>("ready");
  const database = await startDatabase();
  try {
    sim.child.send({ kind: "expected" });
    const expected = await sim.next<Expected>("expected");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...simulatedTenantEnv({ login: `https://127.0.0.1:${loginPort}`, graph: `https://127.0.0.1:${graphPort}` }),
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(database.poolSize),
      AUTH_SECRET: "bench-only-secret-bench-only-secret-0000",
    };
    const runs: Run[] = [];
    if (!has("--no-baseline")) {
      console.log(`Running the classic enumeration (${BASELINE_CONCURRENCY} apps at a time)…`);
      const run = await enumerate(sim, "baseline", env);
      runs.push({ ...run, name: `classic per-app enumeration (${BASELINE_CONCURRENCY} at a time)`, grants: new Set(run.found.grants), assignments: new Set(run.found.assignments) });
    }
    console.log("Running the portal's scan…");
    const scanned = await enumerate(sim, "scan", env);
    const rows = scanned.found.scanId ? await scanRows(database.url, scanned.found.scanId) : { grants: new Set<string>(), assignments: new Set<string>() };
    runs.push({ ...scanned, name: `portal scan (${SCAN_CONCURRENCY ?? "default"} concurrency)`, ...rows });

    const minimum = minimumCalls(ready.minimum);
    const s = ready.summary;
    console.log("");
    console.log(`Tenant: ${s.servicePrincipals} service principals (${s.generatedServicePrincipals} generated), ${s.grants} delegated grants, ${s.appRoleAssignments} app role assignments (${expected.assignments.length} held by service principals), ${s.users} users; generated in ${seconds(s.generateMs)}.`);
    console.log(`Network: ${LATENCY_MS} ms added before every Graph answer${THROTTLE_RATE > 0 ? `; ${(THROTTLE_RATE * 100).toFixed(1)}% of reads answered 429 (Retry-After 1 s)` : ""}. Database: ${database.label}.`);
    console.log(`Fewest Graph calls that read it all: ${minimum} = ${ready.minimum.servicePrincipalPages} service principal pages + ${ready.minimum.grantPages} grant pages + ${ready.minimum.assignmentCalls} for the ${ready.minimum.resourcesWithAppRoles} APIs with app roles + ${ready.minimum.nameResolution} name resolution (999 a page) + ${ready.minimum.signInPages} sign-in activity report pages.`);
    console.log("");
    const header = ["enumeration", "outcome", "wall time", "Graph calls", "× minimum", "HTTP requests", "429 answered", "peak RSS", "grants missed", "app permissions missed"];
    console.log(table([header, ...runs.map((run) => [
      run.name, run.result.outcome, seconds(run.result.ms), String(run.counters.graphCalls), (run.counters.graphCalls / minimum).toFixed(2),
      String(run.counters.httpRequests), String(run.counters.throttled), `${Math.round(run.result.maxRssMb)} MiB`,
      `${missing(expected.grants, run.grants)} of ${expected.grants.length}`, `${missing(expected.assignments, run.assignments)} of ${expected.assignments.length}`,
    ])]));
    const [base, portal] = runs.length === 2 ? runs : [undefined, runs[0]!];
    if (base && portal) console.log(`\nThe portal's scan: ${(base.result.ms / portal.result.ms).toFixed(1)}× faster than the classic enumeration, ${(base.counters.graphCalls / portal.counters.graphCalls).toFixed(1)}× fewer Graph calls.`);
    const profile = portal?.result.profile;
    if (portal && profile) {
      const collect = profile.phases.find((p) => p.phase === "collect")?.ms ?? 0;
      console.log(`\nWhere the scan's time went: ${profile.phases.map((p) => `${p.phase} ${seconds(p.ms)}`).join(", ")}.`);
      console.log(`While collecting (${seconds(collect)}): a Graph request in flight ${seconds(profile.graphBusyMs)}, a SQL statement in flight ${seconds(profile.dbBusyMs)}; the simulated Graph spent ${seconds(portal.counters.busyMs)} answering (summed), the rest of each call is the ${LATENCY_MS} ms latency.`);
      console.log(`SQL: ${profile.sql.map((q) => `${q.kind} ${q.statements}× ${seconds(q.ms)}`).join("; ")}.`);
      if (has("--sql-profile")) for (const q of profile.slowest) console.log(`  ${seconds(q.ms)} in ${q.statements}× ${q.kind}…`);
    }
  } finally {
    sim.child.send({ kind: "stop" });
    if (has("--keep-database")) console.log(`Database kept: ${database.url}`);
    else await database.stop();
  }
}

// MSAL and the Graph client trust the simulator's self-signed certificate only through NODE_EXTRA_CA_CERTS,
// which Node reads at start-up: the first run makes the certificate and starts itself again with it.
async function main(): Promise<void> {
  const tls = await ensureCertificate(TLS_DIR);
  const role = argv.indexOf("--simulator");
  if (role >= 0) {
    return runSimulator({ size: SIZE, latencyMs: LATENCY_MS, throttleRate: THROTTLE_RATE, tlsDir: TLS_DIR, loginPort: Number(argv[role + 1]), graphPort: Number(argv[role + 2]) });
  }
  const worker = argv.indexOf("--worker");
  if (worker >= 0) {
    return runWorker(argv[worker + 1] === "scan" ? "scan" : "baseline", { tenantId: TENANT_ID, concurrency: SCAN_CONCURRENCY, baselineConcurrency: BASELINE_CONCURRENCY });
  }
  if (process.env.NODE_EXTRA_CA_CERTS === tls.certPath) return bench();
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], { cwd: ROOT, stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath } });
  process.exitCode = await new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
