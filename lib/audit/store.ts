import { randomUUID } from "node:crypto";
import {
  BODY_COLUMNS,
  GENESIS_HASH,
  HASH_FORMAT,
  canonicalJson,
  encodingV2,
  hashRecord,
  sha256Hex,
  type AuditOutcome,
  type AuditRecord,
  type AuditSource,
  type UnhashedRecord,
} from "./canonical";
import { redactText, redactValue } from "./redact";
import { inlineParameters, type AuditSql } from "./sql";

/** Any constant: serializes appends across every process that shares the database. */
export const AUDIT_APPEND_LOCK = 72_707_008;

/** What a caller supplies; seq, prevHash and hash are the store's. */
export type EventInput = {
  occurredAt?: Date;
  source?: AuditSource;
  externalId?: string | null;
  correlationId?: string;
  tenantId: string;
  actorOid: string | null;
  actorUpn: string | null;
  actorName: string | null;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetAppId?: string | null;
  targetId?: string | null;
  targetName?: string | null;
  before?: unknown;
  after?: unknown;
  justification?: string | null;
  outcome: AuditOutcome;
  graphRequestIds?: string[];
  clientIp?: string | null;
  userAgent?: string | null;
};

const clean = (text: string | null | undefined, max = 4_000): string | null =>
  text === null || text === undefined ? null : redactText(text).slice(0, max);

/** Sanitized, normalized (S14): what will be hashed is exactly what will be stored and read back. */
function normalize(input: EventInput): Omit<UnhashedRecord, "seq" | "prevHash" | "occurredAt"> {
  const json = (value: unknown) => {
    if (value === undefined || value === null) return null;
    const parsed: unknown = JSON.parse(canonicalJson(redactValue(value)));
    return parsed;
  };
  return {
    source: input.source ?? "portal",
    externalId: clean(input.externalId, 200),
    correlationId: (input.correlationId ?? randomUUID()).toLowerCase(),
    tenantId: input.tenantId.toLowerCase(),
    actorOid: input.actorOid?.toLowerCase() ?? null,
    actorUpn: clean(input.actorUpn, 320),
    actorName: clean(input.actorName, 256),
    actorRoles: input.actorRoles.map((role) => redactText(role).slice(0, 128)),
    action: redactText(input.action).slice(0, 128),
    targetType: redactText(input.targetType).slice(0, 64),
    targetAppId: input.targetAppId?.toLowerCase() ?? null,
    targetId: clean(input.targetId, 200),
    targetName: clean(input.targetName, 256),
    before: json(input.before),
    after: json(input.after),
    justification: clean(input.justification),
    outcome: input.outcome,
    graphRequestIds: (input.graphRequestIds ?? []).map((id) => redactText(id).slice(0, 128)),
    clientIp: clean(input.clientIp, 64),
    userAgent: clean(input.userAgent, 512),
  };
}

const COLUMNS = `seq bigint, "occurredAt" timestamptz, source text, "externalId" text, "correlationId" uuid, "tenantId" uuid,
  "actorOid" uuid, "actorUpn" text, "actorName" text, "actorRoles" text[], action text, "targetType" text, "targetAppId" text,
  "targetId" text, "targetName" text, before jsonb, after jsonb, justification text, outcome text, "graphRequestIds" text[],
  "clientIp" text, "userAgent" text, "prevHash" text, hash text, "hashFormat" smallint`;
const NAMES = COLUMNS.split(",").map((column) => column.trim().split(/\s+/)[0]).join(", ");

/** One statement, one parameter: rows go in as a JSON array (no driver-specific array or bigint binding). */
export const INSERT_SQL = `INSERT INTO "AuditEvent" (${NAMES}) SELECT ${NAMES} FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS})`;

export function rowJson(records: readonly AuditRecord[]): string {
  return JSON.stringify(records.map((r) => ({ ...r, seq: r.seq.toString(), occurredAt: r.occurredAt.toISOString(), hashFormat: r.hashFormat ?? 1 })));
}

export type Event = Omit<UnhashedRecord, "seq" | "prevHash" | "occurredAt">;

/**
 * Encoding 2's body of each event (lib/audit/canonical.ts): its columns after seq, occurredAt and
 * prevHash as COPY prints them. The events go through jsonb_to_recordset with the table's column types,
 * as INSERT_SQL sends them, so each line is what COPY will print for the row the insert stores. One
 * statement for the batch, before the append lock. COPY takes no bind parameters: the batch is one
 * escaped literal.
 */
export async function renderBodies(sql: AuditSql, events: readonly Event[]): Promise<string[]> {
  if (events.length === 0) return [];
  const types = BODY_COLUMNS.map(([column, type]) => `${column} ${type}`).join(", ");
  const columns = BODY_COLUMNS.map(([column]) => `r.${column}`).join(", ");
  const batch = JSON.stringify(events.map((event, i) => ({ ...event, i })));
  const { data } = await sql.copyOut(
    inlineParameters(`COPY (SELECT ${columns} FROM jsonb_to_recordset($1::jsonb) AS r(i int, ${types}) ORDER BY r.i) TO STDOUT`, [batch]),
  );
  // COPY escapes line breaks inside values: one line per event.
  const lines = data.toString("utf8").split("\n");
  lines.pop(); // after the last newline
  if (lines.length !== events.length) throw new Error(`the database printed ${lines.length} of ${events.length} audit events`);
  return lines;
}

/** An event ready to link: the caller's input (for its time), its normalized fields and, for encoding 2, its rendered body. */
export type Prepared = { input: EventInput; event: Event; body?: string };

/** Sanitizing and canonicalizing, done before the append lock is taken: the lock is held only to link. */
function prepare(inputs: readonly EventInput[]): Prepared[] {
  return inputs.map((input) => ({ input, event: normalize(input) }));
}

/** The earliest and latest time encoding 2 prints the same way in the portal (toISOString) and in SQL (to_char). */
const FIRST_TIME = Date.UTC(1970, 0, 1);
const LAST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Numbers and hashes prepared events onto the chain after `head`; events without a time get `now`.
 * Events with a rendered body are hashed with encoding 2, others (legacy chains in tests) with encoding 1.
 */
export function linkEvents(head: { seq: bigint; hash: string }, prepared: readonly Prepared[], now = new Date()): AuditRecord[] {
  let { seq, hash } = head;
  return prepared.map(({ input, event, body }) => {
    seq += 1n;
    // Times are stored with millisecond precision (timestamptz(3)).
    const occurredAt = new Date(Math.floor((input.occurredAt ?? now).getTime()));
    if (!(occurredAt.getTime() >= FIRST_TIME && occurredAt.getTime() <= LAST_TIME)) throw new Error(`an audit event's time must lie between 1970 and 9999, not ${input.occurredAt?.toString()}`);
    const unhashed: UnhashedRecord = { ...event, occurredAt, seq, prevHash: hash };
    hash = body === undefined ? hashRecord(unhashed) : sha256Hex(encodingV2(seq, occurredAt, unhashed.prevHash, body));
    return { ...unhashed, hash, hashFormat: body === undefined ? 1 : HASH_FORMAT };
  });
}

/**
 * Links `inputs` onto the chain after (`seq`, `hash`) with encoding 1, pure: the chains the portal wrote
 * before encoding 2, which verification still checks (the tests build such chains with it).
 */
export function legacyChain(head: { seq: bigint; hash: string }, inputs: readonly EventInput[], now = new Date()): AuditRecord[] {
  return linkEvents(head, prepare(inputs), now);
}

export async function readHead(sql: AuditSql): Promise<{ seq: bigint; hash: string }> {
  const [row] = await sql.query<{ seq: string; hash: string }>(`SELECT seq::text AS seq, hash FROM "AuditEvent" e ORDER BY e.seq DESC LIMIT 1`);
  return row ? { seq: BigInt(row.seq), hash: row.hash } : { seq: 0n, hash: GENESIS_HASH };
}

/** The items whose externalId is neither stored yet nor earlier in the batch (items without one always stay). */
async function notYetStored(sql: AuditSql, items: Prepared[]): Promise<Prepared[]> {
  const externalIds = items.flatMap(({ input }) => (input.externalId ? [input.externalId] : []));
  if (externalIds.length === 0) return items;
  const known = await sql.query<{ externalId: string }>(`SELECT "externalId" FROM "AuditEvent" WHERE "externalId" = ANY(string_to_array($1, chr(31)))`, [externalIds.join("\u001f")]);
  const seen = new Set(known.map((row) => row.externalId));
  return items.filter(({ input }) => {
    if (!input.externalId) return true;
    if (seen.has(input.externalId)) return false;
    seen.add(input.externalId);
    return true;
  });
}

/**
 * Appends `inputs` in order, in one transaction holding the append lock, so concurrent appenders (other
 * requests, other portal instances) each see the true head. Inputs whose externalId is already stored
 * (or repeated in the batch) are skipped, which makes imports idempotent without gaps in seq.
 */
export async function appendEvents(sql: AuditSql, inputs: readonly EventInput[]): Promise<AuditRecord[]> {
  if (inputs.length === 0) return [];
  // Imports repeat what they appended before: only what is new is rendered (outside the lock) …
  const fresh = await notYetStored(sql, prepare(inputs));
  if (fresh.length === 0) return [];
  const bodies = await renderBodies(sql, fresh.map(({ event }) => event));
  fresh.forEach((item, i) => (item.body = bodies[i]));
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT 1 AS locked FROM pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`);
    // … and asked again under the lock: another appender may have stored some of them meanwhile.
    const todo = await notYetStored(tx, fresh);
    if (todo.length === 0) return [];
    const records = linkEvents(await readHead(tx), todo);
    await tx.query(INSERT_SQL, [rowJson(records)]);
    return records;
  });
}

type Pending = { input: EventInput; resolve: (record: AuditRecord) => void; reject: (error: unknown) => void };

/**
 * Group commit: appends requested while a transaction is in flight go together in the next one, so
 * one instance appends thousands of events a second while every caller still waits for its own event
 * to be committed (and an event whose transaction fails is reported to its caller).
 */
export class AuditAppender {
  #pending: Pending[] = [];
  #flushing = false;
  constructor(
    private readonly sql: AuditSql,
    private readonly maxBatch = 500,
  ) {}

  append(input: EventInput): Promise<AuditRecord> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ input, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, this.maxBatch);
        try {
          const records = await appendEvents(this.sql, batch.map((p) => p.input));
          // externalId duplicates are skipped; everything else maps one to one, in order.
          let i = 0;
          for (const pending of batch) {
            const record = records[i];
            if (record && (record.externalId === null || record.externalId === (pending.input.externalId ?? null))) {
              pending.resolve(record);
              i += 1;
            } else pending.reject(new Error("duplicate externalId"));
          }
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }
}
