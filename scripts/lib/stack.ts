import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv, realTenantRequested } from "../../lib/env";
import { ensureCertificate } from "../../sim/local-secrets";
import simTenant from "../../sim/fixtures/tenant.json";
import { simulatedTenantEnv } from "../../sim/portal-env";
import { embeddedDatabaseUrl, ensurePassword, PASSWORD_ENV, serverCommand } from "./embedded-database";
import { migrate } from "./migrate";
import { bin, portOpen, startNode, stopAll, waitFor, type Child } from "./processes";

export type StackOptions = {
  portalPort: number;
  loginPort: number;
  graphPort: number;
  /** The simulated tenant's mail sink, where the portal's notifications go in the simulated set-up. */
  smtpPort: number;
  databasePort: number;
  /** Git-ignored folder for the embedded database, the simulator's certificate and the dev AUTH_SECRET. */
  dataDir: string;
  /** Start the embedded database empty (tests). */
  freshDatabase: boolean;
  /** Next in development mode (as `next dev`) instead of the production build. */
  dev: boolean;
};

export type Stack = { portalUrl: string; simulated: boolean; databaseUrl: string; sentMailUrl: string | null; children: Child[]; stop: () => Promise<void> };

/** The simulated tenant's mail domain, for the portal's sender address there. */
const simDomain = simTenant.defaultDomain;

/** AUTH_SECRET from the environment, else one made once for this machine and kept in dataDir. */
function authSecret(dataDir: string): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** Starts the embedded database (PGlite behind its password gate) in `options.dataDir`; resolves to its URL. */
export async function startEmbeddedDatabase(options: Pick<StackOptions, "dataDir" | "databasePort" | "freshDatabase">, children: Child[]): Promise<string> {
  const dir = path.join(options.dataDir, "pglite");
  if (options.freshDatabase) rmSync(dir, { recursive: true, force: true });
  if (await portOpen(options.databasePort)) {
    throw new Error(`Port ${options.databasePort} is taken: another portal may be running. Stop it, or set DATABASE_PORT.`);
  }
  // Only clients with the data folder's password get in (S22): PGlite itself would take anyone as superuser.
  const password = ensurePassword(options.dataDir);
  // 10 connections at once (the portal's pool, scripts); with 1, Prisma's pool broke after a trigger error.
  const server = serverCommand(dir, options.databasePort, 10);
  const database = startNode("database", server.script, server.args, { ...process.env, [PASSWORD_ENV]: password }, { quiet: true });
  children.push(database);
  await waitFor("the embedded database", () => portOpen(options.databasePort), database);
  return embeddedDatabaseUrl(options.databasePort, password);
}

/**
 * Starts what the portal needs and the portal itself: the database (embedded PGlite unless
 * DATABASE_URL is set) with migrations applied, the simulated tenant (unless a real tenant is
 * configured), then Next.js. Throws with a clear message if anything cannot start.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  mkdirSync(options.dataDir, { recursive: true });
  const children: Child[] = [];
  const stop = () => stopAll(children);
  try {
    const simulated = !realTenantRequested(process.env);
    const portalUrl = `http://localhost:${options.portalPort}`;
    const embedded = !process.env.DATABASE_URL;
    const databaseUrl = process.env.DATABASE_URL || (await startEmbeddedDatabase(options, children));
    const portalEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // PGlite is a single PostgreSQL session behind its socket: connections would share (and break)
      // each other's prepared statements and transactions, so the portal keeps one.
      ...(embedded ? { DATABASE_POOL_SIZE: "1" } : {}),
      AUTH_SECRET: authSecret(options.dataDir),
      AUTH_URL: process.env.AUTH_URL ?? portalUrl,
      NEXT_TELEMETRY_DISABLED: "1",
    };
    if (simulated) {
      const tls = await ensureCertificate(options.dataDir);
      Object.assign(portalEnv, {
        // The simulator's origins and the portal's registration there: lib/env.ts knows nothing of sim/.
        ...simulatedTenantEnv({ login: `https://127.0.0.1:${options.loginPort}`, graph: `https://127.0.0.1:${options.graphPort}` }),
        // Node reads this at start-up only: the portal trusts the simulator's certificate, nothing else changes.
        NODE_EXTRA_CA_CERTS: tls.certPath,
        // The simulated users' addresses are made up: their mail goes to the simulator's sink, never to a real server.
        SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
        SMTP_HOST: undefined,
        SMTP_PORT: undefined,
        SMTP_USER: undefined,
        SMTP_PASSWORD: undefined,
        MAIL_FROM: `Admin Consent Portal <consent-portal@${simDomain}>`,
      });
    }
    parseEnv(portalEnv); // fail here, with the variable's name, rather than on the first request
    await migrate(databaseUrl, (line) => console.log(line));

    if (simulated) {
      const sim = startNode("sim", bin.tsx, [path.join("sim", "main.ts")], {
        ...process.env,
        SIM_LOGIN_PORT: String(options.loginPort),
        SIM_GRAPH_PORT: String(options.graphPort),
        SIM_SMTP_PORT: String(options.smtpPort),
        SIM_PORTAL_URLS: portalUrl,
        SIM_DATA_DIR: options.dataDir,
      });
      children.push(sim);
      await waitFor("the simulated tenant", async () => (await portOpen(options.loginPort)) && (await portOpen(options.smtpPort)), sim);
    }

    // Next's request handler behind the portal's own server, which tells it the socket's peer (S21).
    const serverArgs = [String(options.portalPort), ...(options.dev ? ["--dev"] : [])];
    const portal = startNode("portal", path.join("scripts", "portal-server.mjs"), serverArgs, portalEnv);
    children.push(portal);
    await waitFor("the portal", async () => (await fetch(`${portalUrl}/api/health`)).ok, portal, 120_000);
    return { portalUrl, simulated, databaseUrl, sentMailUrl: simulated ? `https://127.0.0.1:${options.loginPort}/_mail` : null, children, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
