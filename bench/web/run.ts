import { execFileSync } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "@playwright/test";
import users from "../../sim/fixtures/users.json";
import { controlSecret, ensureCertificate } from "../../sim/local-secrets";
import { buildIsStale, buildPortal } from "../../scripts/lib/build";
import { ROOT } from "../../scripts/lib/processes";
import { startStack } from "../../scripts/lib/stack";
import { chunkSizes, firstLoadJs } from "./first-load";

/**
 * `npm run bench:web [-- --databases pglite,postgres] [-- --concurrency 1,20,50] [-- --seconds 8] [-- --latency 50]`
 * Page speed of the production build (built first if stale), on the simulated tenant whose Graph answers
 * every call after `--latency` ms (standing for the network). For each database, starts the whole stack
 * on a fresh database, signs seeded people in through the real sign-in (a browser, as a person would),
 * then keeps `--concurrency` signed-in users asking for one page after another for `--seconds`, each
 * page in turn: the user status page, the admin app page, the audit list, and the bare `/api/health` of
 * the same server as the yardstick. Prints p50/p95/max, requests per second and the ratio to the bare
 * route, the portal process's CPU time per answered request (all its threads, from /proc: the server's
 * cost of a page whatever else the machine runs), the Graph reads one load of each page makes, the
 * machine's load average, and the first-load JS (gzip) of every route from the build's manifests.
 * `--reuse-build` skips the staleness check. PostgreSQL: `--postgres <url>` or BENCH_DATABASE_URL (an empty database of its own; migrations are applied).
 * `--pages status,admin,audit` measures only those pages. Two yardsticks are always measured: `/api/health`, the
 * bare route, and the page floor, `/my-apps/troubleshoot` as a user: a page of the same build with the same layout
 * that reads nothing but the session (no Graph, no query of its own), so a page's cost beyond it is its own work.
 * `--cpu-prof <dir>` writes a V8 CPU profile of the portal's server into `<dir>/<database>/` when the
 * stack stops (bench/web/cpu-profile.cjs); `npx tsx bench/web/profile-summary.ts <file>` sums it by self
 * time per package and function.
 */
const argValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const numbers = (value: string) => value.split(",").map((part) => {
  const n = Number(part);
  if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive whole number: ${part}`);
  return n;
});
const DATABASES = (argValue("--databases") ?? "pglite,postgres").split(",");
const CONCURRENCY = numbers(argValue("--concurrency") ?? "1,20,50");
const SECONDS = Number(argValue("--seconds") ?? 8);
const LATENCY_MS = Number(argValue("--latency") ?? 50);
const POSTGRES_URL = argValue("--postgres") ?? process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/portal_bench_web";
const BASE_PORT = Number(process.env.PORT ?? 3970);
const DATA_DIR = path.resolve(process.env.PORTAL_DATA_DIR ?? path.join(ROOT, ".data", "bench-web"));
const DIST_DIR = process.env.NEXT_DIST_DIR || ".next";
const PAGES = new Set([...(argValue("--pages") ?? "status,admin,audit").split(","), "floor", "health"]);
const CPU_PROF_DIR = argValue("--cpu-prof");

/** A catalog app not in the simulated tenant yet, with a person's request waiting in Entra (Nylas): the common "is my app approved?" question. */
const APP_ID = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
const RILEY = users.find((user) => user.displayName === "Riley Chen")!;
const ALEX = users.find((user) => user.displayName === "Alex Wilber")!;
/** Sign-ins per person: the load spreads over these sessions, as many people's browsers would. */
const SESSIONS = 4;

type Target = { name: string; path: string; cookies: string[] };

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function loadAverage(): string {
  const [one, five, fifteen] = os.loadavg().map((n) => n.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} on ${os.cpus().length} CPUs`;
}

/** Signs `who` in through the portal's sign-in and the simulated tenant's account picker; the Cookie header. */
async function signIn(browser: Browser, portalUrl: string, who: (typeof users)[number]): Promise<string> {
  const context = await browser.newContext({ baseURL: portalUrl, ignoreHTTPSErrors: true });
  try {
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.getByRole("heading", { name: "Pick an account" }).waitFor();
    await page.getByRole("button", { name: new RegExp(who.userPrincipalName.replace(".", "\\.")) }).click();
    await page.getByTestId("signed-in-name").waitFor();
    const cookies = await context.cookies(portalUrl);
    return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  } finally {
    await context.close();
  }
}

/** One GET; resolves to the status code once the whole body is read. Redirects are not followed (one to sign-in is a failure). */
function get(agent: http.Agent, port: number, target: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "localhost", port, path: target, agent, headers: cookie ? { cookie } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

type Result = { requests: number; failures: number; seconds: number; times: number[]; cpuMs: number | null };

/** CPU time (user and system, all its threads) the process has used so far, in ms; null where /proc cannot tell (not Linux). */
function processCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** `concurrency` users in a closed loop (each asks again as soon as its page has arrived) for SECONDS. */
async function load(port: number, target: Target, concurrency: number, serverPid: number | undefined): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const times: number[] = [];
  let failures = 0;
  // Warm-up: one page per user, not counted.
  await Promise.all(Array.from({ length: concurrency }, (_, i) => get(agent, port, target.path, target.cookies[i % target.cookies.length] ?? "").catch(() => null)));
  const started = performance.now();
  const cpuBefore = processCpuMs(serverPid);
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, user) => {
      const cookie = target.cookies[user % target.cookies.length] ?? "";
      while (performance.now() < until) {
        const begun = performance.now();
        try {
          const { status } = await get(agent, port, target.path, cookie);
          if (status === 200) times.push(performance.now() - begun);
          else failures += 1;
        } catch {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = processCpuMs(serverPid);
  agent.destroy();
  return { requests: times.length, failures, seconds, times: times.sort((a, b) => a - b), cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

/** The simulator's control endpoint (its secret is in the data folder; its certificate is the stack's). */
function simControl(graphPort: number, method: string, route: string, body?: unknown): Promise<unknown> {
  const ca = readFileSync(path.join(DATA_DIR, "sim-cert.pem"), "utf8");
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      { host: "127.0.0.1", port: graphPort, path: route, method, ca, headers: { "x-sim-control": controlSecret(DATA_DIR), ...(payload ? { "content-type": "application/json" } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${route}: ${res.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : null);
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

function printTable(rows: string[][]) {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(`| ${row.map((cell, column) => (column >= 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(" | ")} |`);
    if (index === 0) console.log(`|${widths.map((width, column) => (column >= 2 ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`);
  }
}

async function benchDatabase(database: string, browser: Browser) {
  if (database === "postgres") process.env.DATABASE_URL = POSTGRES_URL;
  else delete process.env.DATABASE_URL;
  if (database === "postgres") {
    // A fresh schema each run: the audit chain and sessions of an earlier run would change what is measured.
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
    await client.end();
  }
  const nodeOptions = process.env.NODE_OPTIONS;
  if (CPU_PROF_DIR) {
    // Every child of the stack inherits it; only the portal's server profiles itself (cpu-profile.cjs).
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(ROOT, "bench", "web", "cpu-profile.cjs")}`.trim();
    process.env.BENCH_CPU_PROFILE_DIR = path.resolve(CPU_PROF_DIR, database);
  }
  const ports = { portalPort: BASE_PORT, loginPort: BASE_PORT + 1, graphPort: BASE_PORT + 2, smtpPort: BASE_PORT + 3, databasePort: BASE_PORT + 4 };
  const stack = await startStack({ ...ports, dataDir: DATA_DIR, freshDatabase: true, dev: false });
  try {
    await simControl(ports.graphPort, "POST", "/_sim/faults", { latencyMs: LATENCY_MS });
    const userCookies: string[] = [];
    const adminCookies: string[] = [];
    for (let i = 0; i < SESSIONS; i += 1) {
      userCookies.push(await signIn(browser, stack.portalUrl, RILEY));
      adminCookies.push(await signIn(browser, stack.portalUrl, ALEX));
    }
    const targets: Target[] = (
      [
        ["status", { name: "user status page", path: `/my-apps/apps/${APP_ID}`, cookies: userCookies }],
        ["admin", { name: "admin app page", path: `/admin/apps/${APP_ID}`, cookies: adminCookies }],
        ["audit", { name: "audit list", path: "/audit", cookies: adminCookies }],
        // The build's own floor for a page: signed in, rendered with the same layout, reading nothing but the session.
        ["floor", { name: "page floor (troubleshoot)", path: "/my-apps/troubleshoot", cookies: userCookies }],
        ["health", { name: "/api/health", path: "/api/health", cookies: [] as string[] }],
      ] as const
    ).flatMap(([key, target]) => (PAGES.has(key) ? [target] : []));
    // One load of each page: it must be the page itself (a redirect to sign-in or an error would be cheap and wrong), and how many Graph reads it makes.
    const graphReads = new Map<string, number>();
    const probe = new http.Agent({ keepAlive: false });
    for (const target of targets) {
      await get(probe, ports.portalPort, target.path, target.cookies[0] ?? "");
      // The fewest of 3 loads: the portal's scheduled jobs read Graph too, and may run during one of them.
      for (let i = 0; i < 3; i += 1) {
        const before = (await simControl(ports.graphPort, "GET", "/_sim/requests")) as { reads: number };
        const { status, body } = await get(probe, ports.portalPort, target.path, target.cookies[0] ?? "");
        const after = (await simControl(ports.graphPort, "GET", "/_sim/requests")) as { reads: number };
        if (status !== 200) throw new Error(`${target.path} answered ${status}`);
        if (target.path !== "/api/health" && !body.includes("signed-in-name")) throw new Error(`${target.path} did not render a signed-in page`);
        graphReads.set(target.name, Math.min(graphReads.get(target.name) ?? Infinity, after.reads - before.reads));
      }
    }

    console.log(`\n## ${database === "postgres" ? "PostgreSQL" : "PGlite (embedded)"}: Graph answers after ${LATENCY_MS} ms; ${SECONDS} s per row; ${loadAverage()} before`);
    // The portal's own process (scripts/portal-server.mjs): its CPU per answered request, beside the times.
    const serverPid = stack.children.find((child) => child.name === "portal")?.process.pid;
    const rows: string[][] = [["page", "users", "Graph reads", "requests", "failed", "req/s", "vs health", "vs floor", "p50 ms", "p95 ms", "max ms", "server CPU ms/req"]];
    for (const concurrency of CONCURRENCY) {
      const results = new Map<string, Result>();
      for (const target of targets) results.set(target.name, await load(ports.portalPort, target, concurrency, serverPid));
      const rpsOf = (name: string) => results.get(name)!.requests / results.get(name)!.seconds;
      const healthRps = rpsOf("/api/health");
      const floorRps = rpsOf("page floor (troubleshoot)");
      for (const target of targets) {
        const result = results.get(target.name)!;
        const rps = result.requests / result.seconds;
        rows.push([
          target.name,
          String(concurrency),
          String(graphReads.get(target.name) ?? 0),
          String(result.requests),
          String(result.failures),
          rps.toFixed(1),
          `${((rps / healthRps) * 100).toFixed(0)} %`,
          `${((rps / floorRps) * 100).toFixed(0)} %`,
          ...[50, 95].map((p) => percentile(result.times, p).toFixed(0)),
          (result.times.at(-1) ?? 0).toFixed(0),
          result.cpuMs === null || result.requests === 0 ? "–" : (result.cpuMs / result.requests).toFixed(1),
        ]);
      }
    }
    printTable(rows);
    console.log(`(${loadAverage()} after)`);
  } finally {
    await stack.stop();
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
  }
}

async function main() {
  // --reuse-build: measure the build as it is, though a source file is newer (another checkout's edit).
  if (!process.argv.includes("--reuse-build") && buildIsStale()) await buildPortal();
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  console.log(`Production build in ${DIST_DIR}, built ${statSync(buildId).mtime.toISOString()} (HEAD now ${commit}); Node ${process.version}; ${os.cpus().length} CPUs; ${loadAverage()}`);
  console.log("\n## First-load JS per route (gzip, from the build's manifests)");
  const routes = firstLoadJs(path.join(ROOT, DIST_DIR));
  printTable([["route", "kind", "first-load JS (KB gzip)", "files"], ...routes.map((route) => [route.route, route.kind, (route.gzipBytes / 1024).toFixed(1), String(route.files)])]);
  // What every page loads before any of the portal's own code: the floor no page can go below.
  const distDir = path.join(ROOT, DIST_DIR);
  const { rootMainFiles } = JSON.parse(readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const shared = chunkSizes(distDir, rootMainFiles);
  console.log(`Shared by every page (rootMainFiles: React DOM and Next's client runtime): ${(shared.reduce((sum, chunk) => sum + chunk.gzipBytes, 0) / 1024).toFixed(1)} KB gzip in ${shared.length} files (largest ${shared.map((chunk) => (chunk.gzipBytes / 1024).toFixed(1)).join(", ")} KB).`);

  await ensureCertificate(DATA_DIR);
  // The same browser as the end-to-end tests (playwright.config.ts).
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
  try {
    for (const database of DATABASES) await benchDatabase(database, browser);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
