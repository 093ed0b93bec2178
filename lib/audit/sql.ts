import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
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
  /**
   * Runs `COPY (…) TO STDOUT` and returns its whole output with the row count, the connection
   * released before the caller sees it: for bounded statements (the CSV export's chunks), so a slow
   * download never holds a connection.
   */
  copyOut(statement: string): Promise<{ data: Buffer; rows: number }>;
}

async function copyOut(pool: pg.Pool, statement: string): Promise<{ data: Buffer; rows: number }> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    const stream = client.query(copyTo(statement));
    const parts: Buffer[] = [];
    for await (const part of stream) parts.push(part as Buffer);
    // The stream ends at CopyDone; the row count arrives after it, with CommandComplete. A query queued
    // on the same connection runs only once the COPY has fully completed, so the count is set by then.
    await client.query("SELECT 1");
    return { data: Buffer.concat(parts), rows: stream.rowCount };
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure); // a connection that failed mid-COPY is discarded, not reused
  }
}

/**
 * COPY takes no bind parameters, so values are inlined as escaped literals (pg.escapeLiteral). Only the
 * statement's own SQL holds placeholders (the export's filter, lib/audit/filters.ts; the append's
 * batch); values are inserted in one pass and never scanned again.
 */
export function inlineParameters(text: string, params: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === undefined || value === null) throw new Error(`no value for $${n}`);
    return pg.escapeLiteral(String(value));
  });
}

/** The portal's Prisma client and the pool under it (lib/db.ts), which COPY needs: Prisma cannot run it. */
export function prismaSql(prisma: PrismaClient, pool: pg.Pool): AuditSql {
  type Tx = Pick<PrismaClient, "$queryRawUnsafe">;
  const over = (client: Tx, inTransaction: boolean): AuditSql => ({
    query: <T>(text: string, params: readonly unknown[] = []) => client.$queryRawUnsafe<T[]>(text, ...params),
    transaction: <T>(work: (sql: AuditSql) => Promise<T>): Promise<T> =>
      inTransaction ? work(over(client, true)) : prisma.$transaction((tx) => work(over(tx, true)), { timeout: 30_000, maxWait: 30_000 }),
    copyOut: (statement) => copyOut(pool, statement),
  });
  return over(prisma, false);
}

export function pgSql(pool: pg.Pool): AuditSql {
  const over = (client: pg.Pool | pg.PoolClient, inTransaction: boolean): AuditSql => ({
    query: async <T>(text: string, params: readonly unknown[] = []) => (await client.query(text, params as unknown[])).rows as T[],
    copyOut: (statement) => copyOut(pool, statement),
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
