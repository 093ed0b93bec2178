import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "@/lib/env";

/** The process's one connection pool and Prisma client over it (kept on globalThis so dev reloads reuse them). */
const globalForDb = globalThis as unknown as { prisma?: PrismaClient; pool?: pg.Pool };

/**
 * The pool itself, for what Prisma cannot do (the audit export's COPY). One pool for both, so the
 * embedded database's single connection (DATABASE_POOL_SIZE=1) is shared, never doubled.
 */
export function dbPool(): pg.Pool {
  if (!globalForDb.pool) {
    const { DATABASE_URL, DATABASE_POOL_SIZE } = env();
    globalForDb.pool = new pg.Pool({ connectionString: DATABASE_URL, max: DATABASE_POOL_SIZE });
    globalForDb.pool.on("error", () => undefined); // an idle connection dropped by the server must not crash the process
  }
  return globalForDb.pool;
}

export function db(): PrismaClient {
  globalForDb.prisma ??= new PrismaClient({ adapter: new PrismaPg(dbPool()) });
  return globalForDb.prisma;
}
