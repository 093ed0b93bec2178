import type { AuditSql } from "@/lib/audit/sql";

/**
 * One of the scan's bulk writes (a page's rows, a cursor move, a slice of apps or findings) in its own
 * transaction with `synchronous_commit = off`: the commit returns without waiting for its WAL to reach
 * the disk, which the scan's ~1,500 commits at 100k apps otherwise each waited for. What a crash can
 * cost: the last commits before it, never any in the middle, because PostgreSQL writes WAL in order and
 * a commit survives only with everything logged before it. The inventory is a snapshot of the tenant
 * the scan can always read again, and it stays consistent through such a loss: a page's rows commit
 * before the cursor moves past it (storePage does both in one statement; the pipelined path moves the
 * cursor only once the rows' commit returned), so a surviving cursor implies its rows survived, and a
 * lost cursor move makes the resumed scan read the page again (stored once). The analysis is re-run
 * whole by a resumed scan, and the scan's completion is an ordinary (synchronous) commit made after all
 * of them, so a completed scan never lacks a row.
 */
export async function bulkWrite<T = Record<string, unknown>>(sql: AuditSql, text: string, params: readonly unknown[]): Promise<T[]> {
  return sql.transaction(async (tx) => {
    await tx.query("SET LOCAL synchronous_commit = off");
    return tx.query<T>(text, params);
  });
}
