
/**
 * A condition for the WHERE of the scan's bulk writes (a page's rows, a cursor move, a slice of apps or
 * findings): it sets `synchronous_commit = off` for the statement's own transaction (set_config's
 * is_local, as SET LOCAL; an uncorrelated InitPlan PostgreSQL evaluates once, before any row), so the
 * statement stays one round trip (BEGIN, SET LOCAL, the statement and COMMIT were four, and the scan
 * makes ~2,500 of them at 100k apps). The commit returns without waiting for its WAL to reach
 * the disk, which each of those commits otherwise waited for. What a crash can
 * cost: the last commits before it, never any in the middle, because PostgreSQL writes WAL in order and
 * a commit survives only with everything logged before it. The inventory is a snapshot of the tenant
 * the scan can always read again, and it stays consistent through such a loss: a page's rows commit
 * before the cursor moves past it (storePage does both in one statement; the pipelined path moves the
 * cursor only once the rows' commit returned), so a surviving cursor implies its rows survived, and a
 * lost cursor move makes the resumed scan read the page again (stored once). The analysis is re-run
 * whole by a resumed scan, and the scan's completion is an ordinary (synchronous) commit made after all
 * of them, so a completed scan never lacks a row.
 */
export const ASYNC_COMMIT = `(SELECT set_config('synchronous_commit', 'off', true)) = 'off'`;
