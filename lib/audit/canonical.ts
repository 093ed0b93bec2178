import { hash } from "node:crypto";
import type { TextRow } from "./rows";

/** prevHash of the first event. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * Encoding 1 (events written before migration 20261211000000, `hashFormat` 1): a JSON array of the
 * fields, built by the portal with its own canonical JSON. Verifying it needs the portal to parse and
 * re-encode every event, which kept verification at twice the cost of reading the table; it is kept so
 * those events still verify. The name is part of every hashed record so formats never collide.
 */
const ENCODING = "acp-audit-v1";

/**
 * Encoding 2, written by every append since (`hashFormat` 2): the event as PostgreSQL's COPY prints it,
 * so verification hashes the bytes the database sends, as they arrive, with no decoding or re-encoding
 * in the portal, and the database does no more than a bare read of the table:
 *
 *   <seq> TAB <occurredAt> TAB <prevHash> TAB <source> TAB <externalId> … TAB <userAgent>
 *
 * that is, COPY's text format (tab-separated, `\N` for NULL, backslash escapes) of the columns
 * encodedColumnsSql() lists (seq, occurredAt, prevHash, then BODY_COLUMNS): each printed by its type's output function (uuids in lower case, text[] as
 * `{a,"b c"}`, jsonb with its keys in jsonb's order), the time as UTC ISO 8601 with milliseconds
 * (to_char with an explicit format: no session setting changes it). It cannot be mistaken for
 * encoding 1, which starts with `[`. The append has the database print the events' body columns the
 * same way before it numbers and hashes them (lib/audit/store.ts renderBodies): the same types, the
 * same output functions, so the same bytes as the stored row will print.
 */
export const HASH_FORMAT = 2;

/** The columns of an encoding 2 event after seq, occurredAt and prevHash, with their types in "AuditEvent". */
export const BODY_COLUMNS = [
  ["source", "text"],
  ['"externalId"', "text"],
  ['"correlationId"', "uuid"],
  ['"tenantId"', "uuid"],
  ['"actorOid"', "uuid"],
  ['"actorUpn"', "text"],
  ['"actorName"', "text"],
  ['"actorRoles"', "text[]"],
  ["action", "text"],
  ['"targetType"', "text"],
  ['"targetAppId"', "text"],
  ['"targetId"', "text"],
  ['"targetName"', "text"],
  ["before", "jsonb"],
  ["after", "jsonb"],
  ["justification", "text"],
  ["outcome", "text"],
  ['"graphRequestIds"', "text[]"],
  ['"clientIp"', "text"],
  ['"userAgent"', "text"],
] as const;

/** UTC ISO 8601 with milliseconds, as Date#toISOString prints it (years 1970–9999, which the store enforces). */
const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** SQL: the columns encoding 2 covers, in order, of the row under `alias`. */
export function encodedColumnsSql(alias: string): string {
  return [`${alias}.seq`, `pg_catalog.to_char(${alias}."occurredAt" AT TIME ZONE 'UTC', ${ISO_MS})`, `${alias}."prevHash"`, ...BODY_COLUMNS.map(([column]) => `${alias}.${column}`)].join(", ");
}

/** Encoding 2 in the portal: the line COPY prints for the stored event, from the body line the database printed. */
export function encodingV2(seq: bigint | string, occurredAt: Date, prevHash: string, bodyLine: string): string {
  return `${seq}\t${occurredAt.toISOString()}\t${prevHash}\t${bodyLine}`;
}

export type AuditOutcome = "intended" | "succeeded" | "failed" | "partial";
export type AuditSource = "portal" | "entra";

/** One stored event, as the chain sees it. */
export type AuditRecord = {
  /** The hash's encoding: 2 for every event appended now; 1 for events written before encoding 2. */
  hashFormat?: 1 | 2;
  seq: bigint;
  occurredAt: Date;
  source: AuditSource;
  externalId: string | null;
  correlationId: string;
  tenantId: string;
  actorOid: string | null;
  actorUpn: string | null;
  actorName: string | null;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetAppId: string | null;
  targetId: string | null;
  targetName: string | null;
  before: unknown;
  after: unknown;
  justification: string | null;
  outcome: AuditOutcome;
  graphRequestIds: string[];
  clientIp: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
};

export type UnhashedRecord = Omit<AuditRecord, "hash">;

/**
 * JSON with object keys sorted (by UTF-16 code units, recursively) and no whitespace. Values are
 * normalized the way they come back from a jsonb column: undefined members dropped, non-finite numbers
 * become null, so what is hashed on append is what is hashed again on verify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(Object.is(value, -0) ? 0 : value) : "null";
    case "bigint":
      return JSON.stringify(value.toString());
    case "object": {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      // Plain loops, no entries/filter/map closures: this runs for every event on verify and export.
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i += 1) out += (i ? "," : "") + (value[i] === undefined ? "null" : canonicalJson(value[i]));
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      // Array.prototype.sort() with no comparator orders strings by UTF-16 code units, as documented above.
      const keys = Object.keys(object).sort();
      let out = "{";
      let first = true;
      for (const key of keys) {
        const item = object[key];
        if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
        out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return "null";
  }
}

/** The exact bytes that are hashed: an explicit field list in a fixed order, times in UTC ISO, seq as a string. */
export function canonicalEncoding(record: UnhashedRecord): string {
  return JSON.stringify([
    ENCODING,
    record.seq.toString(),
    record.occurredAt.toISOString(),
    record.source,
    record.externalId,
    record.correlationId.toLowerCase(),
    record.tenantId.toLowerCase(),
    record.actorOid?.toLowerCase() ?? null,
    record.actorUpn,
    record.actorName,
    record.actorRoles,
    record.action,
    record.targetType,
    record.targetAppId,
    record.targetId,
    record.targetName,
    canonicalJson(record.before),
    canonicalJson(record.after),
    record.justification,
    record.outcome,
    record.graphRequestIds,
    record.clientIp,
    record.userAgent,
    record.prevHash,
  ]);
}

/** A text row whose array columns are already decoded (verification reads them from COPY, lib/audit/verify.ts). */
export type CopiedRow = Omit<TextRow, "actorRoles" | "graphRequestIds"> & { actorRoles: (string | null)[]; graphRequestIds: (string | null)[] };

/** An array column: JSON text (array_to_json) or already decoded; NULL as empty. */
const arrayOf = (value: string | null | (string | null)[]): unknown => (value === null ? [] : typeof value === "string" ? JSON.parse(value) : value);

/**
 * canonicalJson() of a jsonb column's text, remembered: the same before/after values recur across many
 * events (a scope string, a policy's settings), and parsing and re-serializing them was a third of
 * verification's per-event work. A pure function of the text, so a remembered answer is the answer.
 * Bounded: short texts only, and the memory starts over when full.
 */
const CANONICAL_MEMO_ENTRIES = 4_096;
const CANONICAL_MEMO_MAX_TEXT = 512;
const canonicalMemo = new Map<string, string>();
function canonicalJsonOfText(text: string): string {
  if (text.length > CANONICAL_MEMO_MAX_TEXT) return canonicalJson(JSON.parse(text));
  let canonical = canonicalMemo.get(text);
  if (canonical === undefined) {
    canonical = canonicalJson(JSON.parse(text));
    if (canonicalMemo.size >= CANONICAL_MEMO_ENTRIES) canonicalMemo.clear();
    canonicalMemo.set(text, canonical);
  }
  return canonical;
}

/**
 * canonicalEncoding() of a row read as text (lib/audit/rows.ts), without building the record (no Date,
 * BigInt or record object per event): the same field list, the same bytes. The audit store's tests
 * append through records and verify through rows, with awkward characters, on PGlite and PostgreSQL.
 */
export function canonicalEncodingOfRow(row: TextRow | CopiedRow): string {
  return JSON.stringify([
    ENCODING,
    row.seq,
    row.occurredAt,
    row.source,
    row.externalId,
    row.correlationId.toLowerCase(),
    row.tenantId.toLowerCase(),
    row.actorOid?.toLowerCase() ?? null,
    row.actorUpn,
    row.actorName,
    arrayOf(row.actorRoles),
    row.action,
    row.targetType,
    row.targetAppId,
    row.targetId,
    row.targetName,
    row.before === null ? "null" : canonicalJsonOfText(row.before),
    row.after === null ? "null" : canonicalJsonOfText(row.after),
    row.justification,
    row.outcome,
    arrayOf(row.graphRequestIds),
    row.clientIp,
    row.userAgent,
    row.prevHash.trim(),
  ]);
}

/** SHA-256 of the UTF-8 bytes of `text`, hex. One-shot crypto.hash: no Hash object per event. */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}

/** hash = SHA-256(canonical(event) including prevHash), hex. */
export function hashRecord(record: UnhashedRecord): string {
  return sha256Hex(canonicalEncoding(record));
}
