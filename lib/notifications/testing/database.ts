import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/scripts/lib/migrate";

/**
 * A database of one test file's own, migrated: the audit store's tests empty the shared test database's
 * audit table between tests, so tests that write audit events in parallel need their own. With
 * DATABASE_URL (PostgreSQL) a fresh database on that server; without, an in-memory PGlite server.
 */
export async function isolatedDatabase(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const url = new URL(serverUrl);
    const database = `${decodeURIComponent(url.pathname.slice(1)) || "postgres"}_${name}`.replace(/[^A-Za-z0-9_]/g, "_");
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${database}"`);
    url.pathname = `/${database}`;
    await migrate(url.toString(), () => undefined);
    return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(() => undefined) };
  }
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });
  const script = path.join(process.cwd(), "node_modules", "@electric-sql", "pglite-socket", "dist", "scripts", "server.js");
  const child = spawn(process.execPath, [script, "-d", "memory://", "-p", String(port), "-m", "10"], { stdio: "ignore" });
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the test's PGlite server exited early");
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  await migrate(url, () => undefined);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
