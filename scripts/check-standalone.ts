import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { ensureCertificate } from "../sim/local-secrets";
import { simulatedTenantEnv } from "../sim/portal-env";
import { bin, freePort, portOpen, ROOT, startNode, stopAll, waitFor, type Child } from "./lib/processes";
import { startEmbeddedDatabase } from "./lib/stack";

/**
 * `node node_modules/tsx/dist/cli.mjs scripts/check-standalone.ts [--reuse-build]`: proves the standalone
 * build (npm run build:standalone) runs on its own. Builds it (or, with --reuse-build, assembles it from
 * the existing standalone build), copies the folder to an empty temporary directory (no node_modules
 * above it, no sources), and there, on a fresh embedded database and the simulated tenant:
 * runs its migrations (`node scripts/migrate.mjs`), starts `node scripts/portal-server.mjs <port>`, and
 * checks /api/health (200, with the server's X-Request-Id), the sign-in page (200, its heading and a
 * client script of the build that loads), /api/ready (the database and the tenant's token endpoint
 * reached), and a clean exit (0) on SIGTERM. Too slow for the test suite (a full production build);
 * run it after changing the build, the server or next.config.js (docs/deploy.md).
 */
const distDir = process.env.NEXT_DIST_DIR || ".next";
const children: Child[] = [];
let workDir: string | undefined;

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`standalone check failed: ${what}`);
  console.log(`  ✓ ${what}`);
}

async function main() {
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-standalone.mjs"), ...(process.argv.includes("--reuse-build") ? ["--skip-build"] : [])], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the standalone build failed");

  workDir = mkdtempSync(path.join(os.tmpdir(), "portal-standalone-"));
  const app = path.join(workDir, "portal");
  cpSync(path.join(ROOT, distDir, "standalone"), app, { recursive: true });
  check(!existsSync(path.join(workDir, "node_modules")) && existsSync(path.join(app, "node_modules", "next")), `copied to ${app}, with its own node_modules and none above it`);

  const [portalPort, loginPort, graphPort, smtpPort, databasePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const dataDir = path.join(workDir, "data");
  mkdirSync(dataDir, { recursive: true });
  const databaseUrl = await startEmbeddedDatabase({ dataDir, databasePort, freshDatabase: true }, children);
  const tls = await ensureCertificate(dataDir);
  const portalUrl = `http://localhost:${portalPort}`;
  const sim = startNode("sim", bin.tsx, [path.join("sim", "main.ts")], {
    ...process.env,
    SIM_LOGIN_PORT: String(loginPort),
    SIM_GRAPH_PORT: String(graphPort),
    SIM_SMTP_PORT: String(smtpPort),
    SIM_PORTAL_URLS: portalUrl,
    SIM_DATA_DIR: dataDir,
  }, { quiet: true });
  children.push(sim);
  await waitFor("the simulated tenant", async () => (await portOpen(loginPort)) && (await portOpen(smtpPort)), sim);

  // Only what a deployment sets: nothing of the repository's environment leaks in (no NODE_PATH, no npm_*).
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: "1",
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    AUTH_URL: portalUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_EXTRA_CA_CERTS: tls.certPath,
    ...simulatedTenantEnv({ login: `https://127.0.0.1:${loginPort}`, graph: `https://127.0.0.1:${graphPort}` }),
  };
  const migrate = spawnSync(process.execPath, ["scripts/migrate.mjs"], { cwd: app, env, encoding: "utf8" });
  check(migrate.status === 0 && /migration\(s\) applied/.test(migrate.stdout), `node scripts/migrate.mjs: ${(migrate.stdout.trim() || migrate.stderr.trim()).split("\n").at(-1)}`);

  const server = spawn(process.execPath, ["scripts/portal-server.mjs", String(portalPort)], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"] });
  const logLines: string[] = [];
  for (const stream of [server.stdout, server.stderr]) createInterface({ input: stream }).on("line", (line) => logLines.push(line));
  const portal: Child = { name: "portal", process: server, exited: new Promise((resolve) => server.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)))) };
  children.push(portal);
  try {
    await waitFor("the standalone portal", async () => (await fetch(`${portalUrl}/api/health`)).ok, portal, 120_000);
  } catch (error) {
    console.error(logLines.slice(-30).join("\n"));
    throw error;
  }

  const health = await fetch(`${portalUrl}/api/health`);
  check(health.status === 200 && /^[0-9a-f-]{36}$/.test(health.headers.get("x-request-id") ?? ""), "GET /api/health: 200, with the portal server's X-Request-Id");
  const signIn = await fetch(`${portalUrl}/signin`);
  const html = await signIn.text();
  check(signIn.status === 200 && html.includes("Sign in with Microsoft"), "GET /signin: 200, the sign-in page");
  const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  const asset = script ? await fetch(`${portalUrl}${script}`) : undefined;
  check(asset?.status === 200, `GET ${script ?? "a client script"}: 200 (the build's static assets are in the folder)`);
  const ready = await fetch(`${portalUrl}/api/ready`);
  check(ready.status === 200, `GET /api/ready: 200 (database and token endpoint reached): ${await ready.text()}`);
  check(logLines.some((line) => line.startsWith("{") && line.includes('"path":"/signin"') && line.includes('"requestId"')), "request log lines are JSON with request ids");

  server.kill("SIGTERM");
  check((await portal.exited) === 0, "SIGTERM: shut down cleanly (exit 0)");
}

main()
  .then(
    () => console.log("Standalone build: OK"),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  )
  .finally(async () => {
    await stopAll(children);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
