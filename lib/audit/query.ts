import type { AuditRecord } from "./canonical";
import { filterSql, type AuditFilter } from "./filters";
import { recordOf, selectRecords, selectTextRows, TEXT_COLUMNS, type TextRow } from "./rows";
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

/** One change as reviewers read it: its events (intent, then outcome) joined by correlation id, oldest first. */
export type AuditChange = { correlationId: string; events: AuditRecord[]; intent: AuditRecord | undefined; head: AuditRecord };
export type ChangeOrder = "newest" | "oldest" | "app" | "actor";
export type ChangePage = { changes: AuditChange[]; nextCursor: string | null };

/**
 * The sort key of "by app" and "by actor", over alias `a`: named rows A→Z, case-insensitive, then the
 * nameless ones (a policy change has no app; an imported event may have no actor) last, as columns
 * that are never NULL, so row comparisons for the keyset hold. The ORDER BY lists exactly these
 * expressions, then ("occurredAt" DESC, seq DESC): the expression indexes of migration
 * 20261210000000_audit_name_order_indexes are built on the same four, so a page is read in index order
 * and stops at its LIMIT instead of sorting every matching event (docs/audit.md, "Browsing").
 */
const NAME_KEY = {
  app: (a: string) => [`(${a}."targetName" IS NULL)`, `lower(coalesce(${a}."targetName", ''))`],
  actor: (a: string) => [`(coalesce(${a}."actorName", ${a}."actorUpn") IS NULL)`, `lower(coalesce(${a}."actorName", ${a}."actorUpn", ''))`],
} as const;

/** ORDER BY and the keyset condition after the cursor's event `$seq` (and its time `$at`) for one order. */
export function changeOrderSql(order: ChangeOrder, at: string, seq: string): { orderBy: string; after: string } {
  if (order === "newest" || order === "oldest") {
    const direction = order === "newest" ? "DESC" : "ASC";
    return {
      orderBy: `e."occurredAt" ${direction}, e.seq ${direction}`,
      after: `(e."occurredAt", e.seq) ${order === "newest" ? "<" : ">"} (${at}::timestamptz, ${seq}::bigint)`,
    };
  }
  // By name, newest first within a name. The cursor's own key is read from its event, so the page
  // link keeps the one cursor format whatever the order. "Key ≥ the cursor's" is a row comparison with
  // an uncorrelated sub-select, which PostgreSQL evaluates once and uses as the index scan's start;
  // within the cursor's own name the time order decides.
  const key = NAME_KEY[order];
  const row = (a: string) => `(${key(a).join(", ")})`;
  const cursorRow = (columns: string) => `(SELECT ${columns} FROM "AuditEvent" c WHERE c.seq = ${seq}::bigint)`;
  return {
    orderBy: `${key("e")
      .map((column) => `${column} ASC`)
      .join(", ")}, e."occurredAt" DESC, e.seq DESC`,
    after: `${row("e")} >= ${cursorRow(key("c").join(", "))} AND (${row("e")} > ${cursorRow(key("c").join(", "))} OR (e."occurredAt", e.seq) < ${cursorRow(`c."occurredAt", c.seq`)})`,
  };
}

/**
 * The changes matching `filter`, one per correlation id, placed where their newest matching event
 * is, keyset-paged on that event like `listEvents` (so page 1,000 costs what page 1 costs). An event
 * is a change's "head" when no later event of the same correlation matches the filter: the filter's
 * WHERE is repeated inside NOT EXISTS, where its unqualified columns bind to the inner row `n`.
 * Ordered by time (newest or oldest first), or by app or actor name (A→Z, newest first within one).
 */
export async function listChanges(sql: AuditSql, filter: AuditFilter, options: { cursor?: string; limit?: number; order?: ChangeOrder } = {}): Promise<ChangePage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const order = options.order ?? "newest";
  const { where, params } = filterSql(filter);
  const head = `NOT EXISTS (SELECT 1 FROM "AuditEvent" n WHERE n."correlationId" = e."correlationId" AND n.seq > e.seq AND ${where})`;
  let keyset = "";
  const match = options.cursor ? /^(\d{1,15})-(\d{1,18})$/.exec(options.cursor) : null;
  const byTime = order === "newest" || order === "oldest";
  // By name, only the cursor's seq is sent: its time and name are read from its event.
  if (match) params.push(...(byTime ? [new Date(Number(match[1])).toISOString(), match[2]] : [match[2]]));
  const { orderBy, after } = changeOrderSql(order, `$${params.length - 1}`, `$${params.length}`);
  if (match) keyset = ` AND ${after}`;
  const heads = (await sql.query<TextRow>(`SELECT ${TEXT_COLUMNS} FROM "AuditEvent" e WHERE ${where} AND ${head}${keyset} ORDER BY ${orderBy} LIMIT ${limit + 1}`, params)).map(recordOf);
  const page = heads.slice(0, limit);
  const ids = page.map((event) => event.correlationId);
  const all = ids.length ? await selectRecords(sql, `e."correlationId" = ANY($1::uuid[])`, [ids], "chain", ids.length * 20) : [];
  const byCorrelation = new Map<string, AuditRecord[]>();
  for (const event of all) byCorrelation.set(event.correlationId, [...(byCorrelation.get(event.correlationId) ?? []), event]);
  const changes = page.map((first) => {
    const events = byCorrelation.get(first.correlationId) ?? [first];
    return { correlationId: first.correlationId, events, intent: events.find((event) => event.outcome === "intended"), head: events.at(-1) ?? first };
  });
  const last = page.at(-1);
  return { changes, nextCursor: heads.length > limit && last ? cursorOf(last) : null };
}

/** How many changes (correlation ids) and events match `filter`: the total above the list. */
export async function countChanges(sql: AuditSql, filter: AuditFilter): Promise<{ changes: number; events: number }> {
  const { where, params } = filterSql(filter);
  const [row] = await sql.query<{ changes: string; events: string }>(`SELECT count(DISTINCT e."correlationId")::text AS changes, count(*)::text AS events FROM "AuditEvent" e WHERE ${where}`, params);
  return { changes: Number(row?.changes ?? 0), events: Number(row?.events ?? 0) };
}
