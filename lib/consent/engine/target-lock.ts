import { randomUUID } from "node:crypto";

/** The SQL a lock needs: the audit store's interface fits (lib/audit/sql.ts), so tests can use a plain pg pool. */
export type LockSql = { query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]> };

/** Another change to the same target held its lock for longer than a caller is willing to wait. */
export class TargetBusyError extends Error {
  override name = "TargetBusyError";
  constructor(readonly key: string) {
    super(`Another change to ${key} is still running.`);
  }
}

/** The lock table could not be read or written: the database is unavailable, so no change may start. */
export class LockUnavailableError extends Error {
  override name = "LockUnavailableError";
}

export type TargetLocks = {
  /** Runs `work` while holding `key`'s lease: no other holder, in any process sharing the database, runs at the same time. */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
};

export type LockOptions = {
  /** How long a lease lasts without renewal: a crashed instance frees its targets after this. */
  leaseMs?: number;
  /** How long to wait for a busy target before giving up. */
  waitMs?: number;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Leases in a table rather than `pg_advisory_lock`: a session lock needs a connection held for the whole
 * Graph round trip, and the embedded database has one connection for everything (the audit writes made
 * inside the lock would wait for it forever). A lease row needs no held connection, works the same on
 * PGlite and PostgreSQL, and is renewed while held so a slow Graph call never loses it.
 */
export function createTargetLocks(sql: LockSql, options: LockOptions = {}): TargetLocks {
  const leaseMs = options.leaseMs ?? 60_000;
  const waitMs = options.waitMs ?? 120_000;

  const tryAcquire = async (key: string, holder: string): Promise<boolean> => {
    const rows = await sql.query<{ holder: string }>(
      `INSERT INTO "ChangeLock" (key, holder, "expiresAt") VALUES ($1, $2::uuid, now() + make_interval(secs => $3::int / 1000.0))
       ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, "expiresAt" = excluded."expiresAt"
       WHERE "ChangeLock"."expiresAt" < now()
       RETURNING holder::text`,
      [key, holder, leaseMs],
    );
    return rows.length === 1;
  };

  return {
    async withLock(key, work) {
      const holder = randomUUID();
      const deadline = Date.now() + waitMs;
      const acquire = () =>
        tryAcquire(key, holder).catch((cause: unknown) => {
          throw new LockUnavailableError("The database cannot be reached.", { cause });
        });
      for (let attempt = 0; !(await acquire()); attempt += 1) {
        if (Date.now() > deadline) throw new TargetBusyError(key);
        // Short, jittered polls: a grant's lock is held for a few Graph round trips.
        await sleep(Math.min(500, 20 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
      }
      const renew = setInterval(() => {
        sql.query(`UPDATE "ChangeLock" SET "expiresAt" = now() + make_interval(secs => $3::int / 1000.0) WHERE key = $1 AND holder = $2::uuid`, [key, holder, leaseMs]).catch(() => undefined);
      }, leaseMs / 3);
      try {
        return await work();
      } finally {
        clearInterval(renew);
        // If the database is down the lease simply expires; the work's own outcome matters more than this error.
        await sql.query(`DELETE FROM "ChangeLock" WHERE key = $1 AND holder = $2::uuid`, [key, holder]).catch(() => undefined);
      }
    },
  };
}
