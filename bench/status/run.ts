import { spawn } from "node:child_process";
import { createServer as createHttpsServer, type Server } from "node:https";
import os from "node:os";
import path from "node:path";
import { createLocalJWKSet } from "jose";
import starting from "../../lib/catalog/starting-catalog.json";
import type { CatalogApp } from "../../lib/catalog";
import { appOnlyGraph } from "../../lib/graph/app-only";
import { parsePasted } from "../../lib/self-service/pasted";
import { appStatus, type StatusKind } from "../../lib/self-service/status";
import { readStatusFacts, requestedPermissions, searchApps } from "../../lib/self-service/tenant-facts";
import users from "../../sim/fixtures/users.json";
import { createGraphHandler, loadTenantFromFixtures } from "../../sim/graph";
import { generateLargeTenant } from "../../sim/graph/generate";
import { createIssuer } from "../../sim/issuer/provider";
import { createLoginHandler } from "../../sim/issuer/server";
import { ensureCertificate } from "../../sim/local-secrets";
import { simulatedTenantEnv } from "../../sim/portal-env";
import { freePort } from "../../scripts/lib/processes";

/**
 * `npm run bench:status [-- --sps 10000] [-- --runs 50] [-- --latency 0]`
 * Server time of "Is my app approved?" against a simulated tenant of `--sps` generated service
 * principals (with grants and app permission assignments): the same functions the /my-apps pages call,
 * through lib/graph with the portal's app-only token from the simulated issuer. Each query kind runs
 * `--runs` times after one warm-up; prints p50/p95/max, the Graph calls each check made and the time
 * the simulated Graph spent answering them. `--latency <ms>` delays every Graph answer, standing for the
 * network: then the number of round trips one after another shows.
 * The catalog comes from the starting catalog file (the pages also read admins' additions from the
 * database: one small local query, not part of what grows with the tenant).
 */
const ROOT = path.join(import.meta.dirname, "..", "..");
const arg = (name: string, fallback: number, min = 1) => {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}`);
  return value;
};
const SERVICE_PRINCIPALS = arg("--sps", 10_000);
const RUNS = arg("--runs", 50);
/** Added before each Graph answer, to stand for the network: real Graph is tens of ms away, the simulator none. */
const LATENCY_MS = arg("--latency", 0, 0);
const TLS_DIR = path.join(os.tmpdir(), "consent-portal-bench-status");

const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

const CATALOG: CatalogApp[] = starting.apps.map((app) => ({ ...app, source: "starting catalog" as const }));
const findCatalogApp = (appId: string) => CATALOG.find((app) => app.appId === appId.toLowerCase()) ?? null;
const RILEY = users.find((user) => user.displayName === "Riley Chen")!;

type Check = { kind: StatusKind | "no match"; calls: number };

/** The app page: catalog entry, then the tenant's facts with the portal's app-only token, then the answer. */
async function statusByAppId(appId: string, pastedScopes: string[] = []): Promise<Check> {
  const graph = appOnlyGraph();
  const catalogApp = findCatalogApp(appId);
  const reading = await readStatusFacts(graph, { oid: RILEY.id }, {
    appId,
    displayName: catalogApp?.displayName ?? "This app",
    verifiedPublisher: catalogApp?.verifiedPublisher ?? false,
    requested: requestedPermissions(catalogApp, pastedScopes),
  });
  return { kind: appStatus(reading.facts).kind, calls: graph.calls.length };
}

/** The home page's name search, then the status of its first match (what a person does next). */
async function statusByName(name: string): Promise<Check> {
  const graph = appOnlyGraph();
  const matches = await searchApps(graph, CATALOG, name);
  const first = matches[0];
  if (!first) return { kind: "no match", calls: graph.calls.length };
  const status = await statusByAppId(first.appId);
  return { kind: status.kind, calls: graph.calls.length + status.calls };
}

/** Pasted "Need admin approval" details: parsed on the home page, then the app page with what they carried. */
async function statusByPastedText(text: string): Promise<Check> {
  const details = parsePasted(text);
  if (!details.appId) return { kind: "no match", calls: 0 };
  return statusByAppId(details.appId, details.graphScopes);
}

const pasted = (appId: string) =>
  `Need admin approval\nAADSTS90094: The grant requires admin permission.\nRequest Id: 3f1c7e2a-0b4d-4c6e-8f10-2a3b4c5d6e7f\nCorrelation Id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d\nTimestamp: 2026-11-25 10:12:00Z\nApp name: Some app\nApp ID: ${appId}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

type Ready = { loginPort: number; graphPort: number; approved: { appId: string; displayName: string }; summary: string };

/**
 * The simulated tenant in a process of its own, as in `npm start`: the portal's code and Graph's then
 * do not share one thread, so the times below are the portal's plus real round trips. Reports on IPC.
 */
async function simulator() {
  const [loginPort, graphPort] = [await freePort(), await freePort()];
  const tls = await ensureCertificate(TLS_DIR);
  const tenant = loadTenantFromFixtures();
  const generated = generateLargeTenant(tenant, { servicePrincipals: SERVICE_PRINCIPALS, grants: SERVICE_PRINCIPALS * 3, appRoleAssignments: Math.round(SERVICE_PRINCIPALS * 1.5), users: 200, seed: 42 });
  const issuer = await createIssuer({ origin: `https://127.0.0.1:${loginPort}`, portalUrls: ["http://localhost:1"] });
  const graph = createGraphHandler({ tenant, issuer: issuer.issuer, keys: createLocalJWKSet(issuer.publicJwks as Parameters<typeof createLocalJWKSet>[0]) });
  const login = createHttpsServer({ cert: tls.cert, key: tls.key }, createLoginHandler(issuer, tenant, []));
  // Time spent answering inside the simulated Graph (summed over requests, so concurrent ones add up).
  let simulatorMs = 0;
  const graphServer = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const started = performance.now();
    res.once("finish", () => (simulatorMs += performance.now() - started - LATENCY_MS));
    if (LATENCY_MS > 0) setTimeout(() => graph(req, res), LATENCY_MS);
    else graph(req, res);
  });
  await Promise.all([listen(login, loginPort), listen(graphServer, graphPort)]);
  process.on("message", (message) => {
    if (message === "take") {
      process.send?.({ simulatorMs });
      simulatorMs = 0;
    } else if (message === "stop") {
      login.close();
      graphServer.close();
      login.closeAllConnections();
      graphServer.closeAllConnections();
      process.disconnect();
    }
  });
  // Generated apps all carry a tenant-wide grant; pick one that is enabled and open to everyone.
  const approved = [...tenant.state.servicePrincipals.values()].find((sp) => sp.publisherName === "Northwind Traders" && sp.accountEnabled && !sp.appRoleAssignmentRequired)!;
  const summary = `${tenant.state.servicePrincipals.size} service principals (${generated.servicePrincipals} generated), ${tenant.state.grants.size} delegated grants, ${tenant.state.appRoleAssignments.size} app permission assignments, ${tenant.state.users.size} users`;
  const ready: Ready = { loginPort, graphPort, approved: { appId: approved.appId, displayName: approved.displayName }, summary };
  process.send?.(ready);
}

async function bench() {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1), "--simulator"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const stopped = () => reject(new Error("the simulator stopped"));
      child.once("exit", stopped);
      child.once("message", (message) => {
        child.off("exit", stopped);
        resolve(message as T);
      });
    });
  const { loginPort, graphPort, approved, summary } = await next<Ready>();
  const takeSimulatorMs = async () => {
    const reply = next<{ simulatorMs: number }>();
    child.send("take");
    return (await reply).simulatorMs;
  };
  // lib/env's simulated-tenant mode: the issuer and Graph above. The database is never opened here.
  Object.assign(process.env, {
    ...simulatedTenantEnv({ login: `https://127.0.0.1:${loginPort}`, graph: `https://127.0.0.1:${graphPort}` }),
    DATABASE_URL: "postgresql://unused@127.0.0.1:1/unused",
    AUTH_SECRET: "bench-only-secret-bench-only-secret-0000",
  });

  const nylas = CATALOG.find((app) => app.displayName === "Nylas")!;
  const unknownApp = "0badc0de-1234-4abc-8def-000000000000";
  const queries: { kind: string; expect: string; run: () => Promise<Check> }[] = [
    { kind: "app ID", expect: "approved", run: () => statusByAppId(approved.appId) },
    { kind: "app ID", expect: "needs admin", run: () => statusByAppId(nylas.appId) },
    { kind: "app ID", expect: "not found", run: () => statusByAppId(unknownApp) },
    { kind: "name search", expect: "approved", run: () => statusByName(approved.displayName) },
    { kind: "name search", expect: "needs admin", run: () => statusByName("Nylas") },
    { kind: "name search", expect: "not found", run: () => statusByName("Zzyzx Nothing Like It") },
    { kind: "pasted error", expect: "approved", run: () => statusByPastedText(pasted(approved.appId)) },
    { kind: "pasted error", expect: "needs admin", run: () => statusByPastedText(pasted(nylas.appId)) },
    { kind: "pasted error", expect: "not found", run: () => statusByPastedText(pasted(unknownApp)) },
  ];

  console.log(`Tenant: ${summary}.`);
  console.log(`Each query: 1 warm-up, then ${RUNS} timed runs, one after another; ${LATENCY_MS} ms network latency added per Graph call. Times in ms.\n`);
  const rows: string[][] = [["query", "expected", "answer", "Graph calls", "p50", "p95", "max", "in Graph (sum, mean)"]];
  for (const query of queries) {
    await query.run();
    const times: number[] = [];
    let last: Check = { kind: "no match", calls: 0 };
    await takeSimulatorMs();
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      last = await query.run();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const simulatorMs = await takeSimulatorMs();
    rows.push([query.kind, query.expect, last.kind, String(last.calls), ...[percentile(times, 50), percentile(times, 95), times.at(-1) ?? 0, simulatorMs / RUNS].map((t) => t.toFixed(1))]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, column) => (column >= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(" | ")} |`);
    if (index === 0) console.log(`|${widths.map((width, column) => (column >= 3 ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`);
  }
  child.send("stop");
}

// MSAL and the Graph client trust the simulator's self-signed certificate only through NODE_EXTRA_CA_CERTS,
// which Node reads at start-up: the first run makes the certificate and starts itself again with it.
async function main() {
  const tls = await ensureCertificate(TLS_DIR);
  if (process.argv.includes("--simulator")) return simulator();
  if (process.env.NODE_EXTRA_CA_CERTS === tls.certPath) return bench();
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.certPath },
  });
  const code = await new Promise<number>((resolve) => child.once("exit", (exitCode) => resolve(exitCode ?? 1)));
  process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
