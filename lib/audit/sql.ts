import pg from "pg";
import type { PrismaClient } from "@/generated/prisma/client";

/**
 * The little SQL the audit store needs, over either driver: the app's Prisma client (the portal) or a
 * plain `pg` pool (scripts, tests, the benchmark). Queries use $1… placeholders; numeric and bigint
 * columns are read as text (`::text`) so both drivers return the same shapes.
 */
export interface AuditSql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction on one connection. */
  transaction<T>(work: (sql: AuditSql) => Promise<T>): Promise<T>;
}

export function prismaSql(prisma: PrismaClient): AuditSql {
  type Tx = Pick<PrismaClient, "$queryRawUnsafe">;
  const over = (client: Tx, inTransaction: boolean): AuditSql => ({
    query: <T>(text: string, params: readonly unknown[] = []) => client.$queryRawUnsafe<T[]>(text, ...params),
    transaction: <T>(work: (sql: AuditSql) => Promise<T>): Promise<T> =>
      inTransaction ? work(over(client, true)) : prisma.$transaction((tx) => work(over(tx, true)), { timeout: 30_000, maxWait: 30_000 }),
  });
  return over(prisma, false);
}

export function pgSql(pool: pg.Pool): AuditSql {
  const over = (client: pg.Pool | pg.PoolClient, inTransaction: boolean): AuditSql => ({
    query: async <T>(text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rows as T[],
    transaction: async <T>(work: (sql: AuditSql) => Promise<T>): Promise<T> => {
      if (inTransaction) return work(over(client, true));
      const connection = await pool.connect();
      try {
        await connection.query("BEGIN");
        const result = await work(over(connection, true));
        await connection.query("COMMIT");
        return result;
      } catch (error) {
        await connection.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
  });
  return over(pool, false);
}

/** A pg pool for scripts and tests (the portal itself uses lib/db.ts). */
export function createPool(connectionString: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", () => undefined); // an idle client dropped by the server must not crash the process
  return pool;
}
