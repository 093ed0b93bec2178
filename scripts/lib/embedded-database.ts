import path from "node:path";
import { embeddedDatabaseUrlOf } from "./embedded-database-password";
import { bin, ROOT } from "./processes";

export * from "./embedded-database-password";

/** The embedded database's server script (docs/database.md). */
export const serverScript = path.join(ROOT, "scripts", "lib", "embedded-database-server.ts");

/** `node <script> <args>` that runs the embedded database server; its environment must carry PASSWORD_ENV. */
export function serverCommand(database: string, port: number, maxConnections = 10): { script: string; args: string[] } {
  return { script: bin.tsx, args: [serverScript, "-d", database, "-p", String(port), "-m", String(maxConnections)] };
}

/**
 * The embedded database `npm start` runs, for scripts run beside it: the data folder PORTAL_DATA_DIR
 * (default .data) and the port DATABASE_PORT (default 5433), as scripts/start.ts uses them.
 */
export function localEmbeddedDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const dataDir = path.resolve(env.PORTAL_DATA_DIR ?? path.join(ROOT, ".data"));
  return embeddedDatabaseUrlOf(dataDir, Number(env.DATABASE_PORT ?? 5433));
}
