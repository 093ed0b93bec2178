import { randomBytes } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { createPool } from "@/lib/audit/sql";
import { freshTestDatabase } from "@/scripts/lib/test-database";
import { simulatedTenantEnv } from "@/sim/portal-env";

/** An origin nobody listens on (the discard port): for a simulated tenant a test never calls. */
export const UNREACHABLE = "https://127.0.0.1:9";

/** What lib/env needs besides the database: the simulated tenant's origins, AUTH_URL when actions check the origin or mail links, and anything else. */
export type PortalEnv = { login?: string; graph?: string; authUrl?: string; more?: Record<string, string> };

export type PortalTestDatabase = { url: string; pool: pg.Pool; prisma: PrismaClient; close: () => Promise<void> };

/**
 * A fresh migrated database of the test file's own (scripts/lib/test-database.ts), with one pool and one
 * Prisma client over it that are also the portal's (lib/db.ts keeps its handles on globalThis): what the
 * portal's modules write the test reads, over no more connections than the portal would hold — the
 * embedded database is one session (poolSize 1).
 *
 * With `env`, the environment lib/env reads once is set here, before the test imports the portal's modules.
 */
export async function portalTestDatabase(name: string, env?: PortalEnv): Promise<PortalTestDatabase> {
  const database = await freshTestDatabase(name);
  if (env) {
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: String(database.poolSize),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      ...(env.authUrl ? { AUTH_URL: env.authUrl } : {}),
      ...simulatedTenantEnv({ login: env.login ?? UNREACHABLE, graph: env.graph ?? UNREACHABLE }),
      ...env.more,
    });
  }
  const pool = createPool(database.url, database.poolSize);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  Object.assign(globalThis, { pool, prisma });
  return {
    url: database.url,
    pool,
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
      await database.stop();
    },
  };
}
