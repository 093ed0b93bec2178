import { hostname } from "node:os";
import type pg from "pg";
import type { JobClaims } from "./schedule";

/** This process, as the JobRun table names it. */
export const thisInstance = () => `${hostname()}:${process.pid}`;

/**
 * Job claims in the database's "JobRun" table: a claim is the insert of the (job, period) row, so of
 * several portal instances exactly one runs a job in a period. Claims of one job are serialized by a
 * transaction-scoped advisory lock (held only for the insert, never during the run, so the embedded
 * database's single connection stays free for the job itself), which also keeps a new period from being
 * claimed while a run of an earlier one has not finished within its lease.
 */
export function jobClaims(pool: pg.Pool, instance: string = thisInstance()): JobClaims {
  return {
    async claim(job, period, leaseMs) {
      const client = await pool.connect();
      let id: string | undefined;
      try {
        await client.query("BEGIN");
        await client.query("SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))", [`job:${job}`]);
        const inserted = await client.query<{ id: string }>(
          `INSERT INTO "JobRun" ("job", "period", "instance")
           SELECT $1, $2, $3
           WHERE NOT EXISTS (
             SELECT 1 FROM "JobRun" WHERE "job" = $1 AND "finishedAt" IS NULL AND "startedAt" > now() - make_interval(secs => $4::float8))
           ON CONFLICT ("job", "period") DO NOTHING
           RETURNING "id"::text AS id`,
          [job, period, instance, leaseMs / 1000],
        );
        await client.query("COMMIT");
        id = inserted.rows[0]?.id;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      if (!id) return null;
      return {
        finish: async (outcome, error) => {
          await pool.query(`UPDATE "JobRun" SET "finishedAt" = now(), "outcome" = $2, "error" = $3 WHERE "id" = $1::bigint`, [id, outcome, error ?? null]);
        },
      };
    },
  };
}
