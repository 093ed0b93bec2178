import { hash } from "node:crypto";
import type { TextRow } from "./rows";

/** prevHash of the first event. */
export const GENESIS_HASH = "0".repeat(64);

/** Bumped if the encoding ever changes; part of every hashed record so old and new never collide. */
const ENCODING = "acp-audit-v1";

export type AuditOutcome = "intended" | "succeeded" | "failed" | "partial";
export type AuditSource = "portal" | "entra";

/** One stored event, as the chain sees it. */
export type AuditRecord = {
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
