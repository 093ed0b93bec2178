import { spawn, type ChildProcess } from "node:child_process";
import pg from "pg";
import { embeddedDatabaseUrl, newPassword, PASSWORD_ENV, serverCommand } from "./embedded-database";
import { migrate } from "./migrate";
import { freePort, ROOT } from "./processes";

export type TestDatabase = {
  url: string;
  stop: () => Promise<void>;
  /**
   * Connections a test may hold at once. PGlite is one session behind its socket: statements of
   * concurrent connections interleave there and break each other's unnamed prepared statements, so
   * tests use one, as the portal does (DATABASE_POOL_SIZE=1 on the embedded database).
   */
  poolSize: number;
};

async function waitForDatabase(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("the test's PGlite server exited early");
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
  throw new Error("timed out waiting for the test's PGlite server");
}

async function onServer(serverUrl: string, suffix: string): Promise<TestDatabase> {
  const url = new URL(serverUrl);
  const name = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_${suffix}`.replace(/[^A-Za-z0-9_]/g, "_");
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${name}"`);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined), poolSize: 4 };
}

async function inMemory(): Promise<TestDatabase> {
  const port = await freePort();
  // The same password-protected server as the portal's embedded database, with a password of its own.
  const password = newPassword();
  const server = serverCommand("memory://", port);
  const child = spawn(process.execPath, [server.script, ...server.args], { cwd: ROOT, stdio: "ignore", env: { ...process.env, [PASSWORD_ENV]: password } });
  const url = embeddedDatabaseUrl(port, password);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForDatabase(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop, poolSize: 1 };
}

/**
 * A fresh, migrated database for tests: with DATABASE_URL (PostgreSQL) a new `<dbname>_<suffix>` on
 * that server, dropped by stop(); without, an in-memory PGlite socket server on a free port.
 */
export async function freshTestDatabase(suffix: string): Promise<TestDatabase> {
  const database = process.env.DATABASE_URL ? await onServer(process.env.DATABASE_URL, suffix) : await inMemory();
  try {
    await migrate(database.url, () => undefined);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
