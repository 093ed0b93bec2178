import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { migrate } from "./scripts/lib/migrate";
import { ensureCertificate } from "./sim/local-secrets";
import { freePort } from "./scripts/lib/processes";

const ROOT = import.meta.dirname;

async function waitForDatabase(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the vitest PGlite server exited early");
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error("timed out waiting for the vitest PGlite server");
}

/**
 * A database of the unit tests' own, apart from the Playwright stack's: with DATABASE_URL, a fresh
 * `<dbname>_vitest` on that server; without, an in-memory PGlite socket server on a free port.
 * Migrations applied; handed to workers as TEST_DATABASE_URL.
 */
async function startTestDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const url = new URL(serverUrl);
    const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_vitest`.replace(/[^A-Za-z0-9_]/g, "_");
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      stop: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
        await client.end();
      },
    };
  }
  const port = await freePort();
  const server = path.join(ROOT, "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");
  const child = spawn(process.execPath, [server, "-d", "memory://", "-p", String(port), "-m", "10"], { cwd: ROOT, stdio: "ignore" });
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  await waitForDatabase(url, child);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Tests that talk to the simulated Graph over https (the Graph client refuses to send tokens over
 * http) trust the simulator's certificate the way the portal does: through NODE_EXTRA_CA_CERTS, which
 * Node reads when a worker starts, so it is set here before any worker exists.
 */
export default async function setup() {
  const tls = await ensureCertificate(path.join(ROOT, ".data", "vitest"));
  process.env.NODE_EXTRA_CA_CERTS = tls.certPath;
  process.env.SIM_TEST_TLS_DIR = path.dirname(tls.certPath);

  const database = await startTestDatabase();
  try {
    await migrate(database.url, () => undefined);
  } catch (error) {
    await database.stop();
    throw error;
  }
  process.env.TEST_DATABASE_URL = database.url;
  return () => database.stop();
}
