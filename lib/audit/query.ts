import type { AuditRecord } from "./canonical";
import { filterSql, type AuditFilter } from "./filters";
import { selectRecords, selectTextRows, type TextRow } from "./rows";
import type { AuditSql } from "./sql";

export type AuditPage = { events: AuditRecord[]; nextCursor: string | null };

/** A keyset cursor: the (occurredAt, seq) of the last event of the previous page, as "<epoch ms>-<seq>". */
export function cursorOf(event: AuditRecord): string {
  return `${event.occurredAt.getTime()}-${event.seq}`;
}

/**
 * One page of events matching `filter`, newest first by (occurredAt, seq), after `cursor` (keyset
 * pagination, no OFFSET: page 1,000 costs what page 1 costs). Imported Entra events thus sit beside
 * the portal's own at the time they happened.
 */
export async function listEvents(sql: AuditSql, filter: AuditFilter, options: { cursor?: string; limit?: number } = {}): Promise<AuditPage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 5_000);
  const { where, params } = filterSql(filter);
  let keyset = "";
  const match = options.cursor ? /^(\d{1,15})-(\d{1,18})$/.exec(options.cursor) : null;
  if (match) {
    params.push(new Date(Number(match[1])).toISOString(), match[2]);
    keyset = ` AND (e."occurredAt", e.seq) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
  }
  const rows = await selectRecords(sql, `${where}${keyset}`, params, "newest", limit + 1);
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

export async function getEvent(sql: AuditSql, seq: string): Promise<AuditRecord | null> {
  const [event] = await selectRecords(sql, `e.seq = $1::bigint`, [seq], "chain", 1);
  return event ?? null;
}

/** The other events of the same change (intended → outcome), oldest first. */
export async function relatedEvents(sql: AuditSql, event: AuditRecord): Promise<AuditRecord[]> {
  return selectRecords(sql, `e."correlationId" = $1::uuid AND e.seq <> $2::bigint`, [event.correlationId, event.seq.toString()], "chain", 20);
}

/**
 * Every matching event as text rows, newest first, in keyset chunks of `chunk` (memory stays flat
 * whatever the size): the export's lean path, with no record objects built per event.
 */
export async function* iterateRowChunks(sql: AuditSql, filter: AuditFilter, chunk = 2_000): AsyncGenerator<TextRow[]> {
  const fetch = (after: TextRow | undefined) => {
    const { where, params } = filterSql(filter);
    let keyset = "";
    if (after) {
      params.push(after.occurredAt, after.seq);
      keyset = ` AND (e."occurredAt", e.seq) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
    }
    return selectTextRows(sql, `${where}${keyset}`, params, "newest", chunk);
  };
  let pending = fetch(undefined);
  for (;;) {
    const rows = await pending;
    // One chunk ahead at most: the database reads the next while this one is written out.
    const last = rows.at(-1);
    if (rows.length === chunk && last) {
      pending = fetch(last);
      pending.catch(() => undefined); // awaited on the next turn; no unhandled rejection if the reader stops first
    }
    if (rows.length) yield rows;
    if (rows.length < chunk) return;
  }
}
