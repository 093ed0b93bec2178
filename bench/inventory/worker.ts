import { scanSql } from "../../lib/inventory/scan/sql";
import type { AuditSql } from "../../lib/audit/sql";
import { appOnlyGraph } from "../../lib/graph/app-only";
import { classicEnumeration } from "../../lib/graph/classic-enumeration";
import { getOrganization } from "../../lib/graph/directory";
import { scanTenant, startScan } from "../../lib/inventory/scan/engine";
import type { ScanProfile, WorkerResult } from "./protocol";

/**
 * One enumeration in a process of its own, so its peak RSS is its own: "baseline" (the classic per-app
 * enumeration) or "scan" (the portal's scanTenant into the database DATABASE_URL names). The app-only
 * token is fetched and one Graph call made before run.ts is told "warm"; the clock starts on "go".
 */

/** Wall-clock time during which at least one of the tracked operations was in flight. */
class Busy {
  #inFlight = 0;
  #since = 0;
  ms = 0;
  start(): void {
    if (this.#inFlight++ === 0) this.#since = performance.now();
  }
  end(): void {
    if (--this.#inFlight === 0) this.ms += performance.now() - this.#since;
  }
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.start();
    try {
      return await work();
    } finally {
      this.end();
    }
  }
}

const sqlKind = (text: string, phase: string): string => {
  if (/^\s*WITH stored AS/i.test(text)) return "store a page";
  if (phase === "analysis") return "analysis";
  return "scan bookkeeping";
};

/**
 * `--collect-only`: the result is taken when the scan reaches its analysis phase, and the process ends
 * there (the rows are stored, the apps not yet derived): to measure reading a tenant whose analysis
 * would take too long to wait for. Labelled as such in the table.
 */
const COLLECT_ONLY = process.argv.includes("--collect-only");

async function scan(tenantId: string, concurrency: number | undefined): Promise<Omit<WorkerResult, "kind" | "ms" | "maxRssMb" | "clientCalls"> & { graph: ReturnType<typeof appOnlyGraph> }> {
  const graph = appOnlyGraph();
  await getOrganization(graph.client);
  const graphBusy = new Busy();
  const dbBusy = new Busy();
  const realFetch = globalThis.fetch;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => graphBusy.track(() => realFetch(...args));
  let phase = "collect";
  const phases: ScanProfile["phases"] = [];
  let phaseStarted = 0;
  const sqlTimes = new Map<string, { statements: number; ms: number }>();
  const statements = new Map<string, { statements: number; ms: number }>();
  const portalSql = scanSql(); // as the portal runs a scan (lib/inventory/scan/index.ts)
  // statements inside a transaction (the scan's bulk writes, lib/inventory/scan/bulk-write.ts) are timed too
  const timed = (sql: AuditSql): AuditSql => ({
    query: async (text, params) => {
      const started = performance.now();
      try {
        return await dbBusy.track(() => sql.query(text, params));
      } finally {
        const ms = performance.now() - started;
        const kind = sqlKind(text, phase);
        const entry = sqlTimes.get(kind) ?? { statements: 0, ms: 0 };
        entry.statements += 1;
        entry.ms += ms;
        sqlTimes.set(kind, entry);
        const statement = text.replace(/\s+/g, " ").trim().slice(0, 140);
        const each = statements.get(statement) ?? { statements: 0, ms: 0 };
        each.statements += 1;
        each.ms += ms;
        statements.set(statement, each);
      }
    },
    transaction: (work) => sql.transaction((tx) => work(timed(tx))),
    copyOut: (statement) => sql.copyOut(statement),
  });
  const timedSql = timed(portalSql);
  // a running portal has its database connections open already
  await portalSql.query("SELECT 1");
  await ready();
  phaseStarted = performance.now();
  const collecting = { graph: 0, db: 0 };
  // as the portal starts one (startInventoryScan): the scan row first, then the scan itself
  const started = await startScan(timedSql, tenantId, { upn: "bench@example.com", name: "Inventory benchmark" });
  if ("alreadyRunning" in started) throw new Error(`a scan is already running: ${started.alreadyRunning}`);
  const outcome = await scanTenant({
    graph, sql: timedSql, tenantId, concurrency, scanId: started.scanId, holder: started.holder,
    onProgress: (progress) => {
      const next = progress.phase === "names" || progress.phase === "analysis" ? progress.phase : "collect";
      if (next === phase) return;
      if (phase === "collect") Object.assign(collecting, { graph: graphBusy.ms, db: dbBusy.ms });
      phases.push({ phase, ms: performance.now() - phaseStarted });
      phase = next;
      phaseStarted = performance.now();
      if (COLLECT_ONLY && phase === "analysis") {
        send({
          graph, outcome: "collected (analysis not run)", scanId: started.scanId,
          profile: { phases, graphBusyMs: collecting.graph, dbBusyMs: collecting.db, sql: [...sqlTimes].map(([kind, t]) => ({ kind, ...t })), slowest: [] },
        });
      }
    },
  });
  phases.push({ phase, ms: performance.now() - phaseStarted });
  globalThis.fetch = realFetch;
  const profile: ScanProfile = {
    phases, graphBusyMs: collecting.graph, dbBusyMs: collecting.db,
    sql: [...sqlTimes].map(([kind, t]) => ({ kind, ...t })),
    slowest: [...statements].map(([kind, t]) => ({ kind, ...t })).sort((a, b) => b.ms - a.ms).slice(0, 6),
  };
  const detail = outcome.status === "completed" ? "completed" : `${outcome.status}: ${"error" in outcome ? outcome.error : ""}`;
  return { graph, outcome: detail, scanId: outcome.scanId, profile };
}

async function baseline(concurrency: number) {
  const graph = appOnlyGraph();
  await getOrganization(graph.client);
  await ready();
  const found = await classicEnumeration(graph.client, { concurrency });
  return {
    graph, outcome: "completed",
    grants: found.grants.map((g) => g.id ?? ""),
    assignments: found.appRoleAssignments.map((a) => a.id ?? ""),
  };
}

let clockStarted = 0;
/** Tells run.ts the process is warm and waits for its "go" (it reads the simulator's counters in between). */
function ready(): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => {
      clockStarted = performance.now();
      resolve();
    });
    process.send?.({ kind: "warm" });
  });
}

function send(done: { graph: ReturnType<typeof appOnlyGraph> } & Omit<WorkerResult, "kind" | "ms" | "maxRssMb" | "clientCalls">): void {
  const ms = performance.now() - clockStarted;
  const { graph, ...rest } = done;
  const result: WorkerResult = {
    kind: "result", ms, maxRssMb: process.resourceUsage().maxRSS / 1024,
    // the warm-up call before the clock started is not counted
    clientCalls: graph.calls.length - 1, ...rest,
  };
  // the database pool would keep the process alive: it is done once the result is sent
  process.send?.(result, () => process.exit(0));
}

export async function runWorker(kind: "baseline" | "scan", options: { tenantId: string; concurrency?: number; baselineConcurrency: number }): Promise<void> {
  send(kind === "scan" ? await scan(options.tenantId, options.concurrency) : await baseline(options.baselineConcurrency));
}
