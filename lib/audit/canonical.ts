import { createHash } from "node:crypto";

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
      if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && typeof v !== "function" && typeof v !== "symbol")
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
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

/** hash = SHA-256(canonical(event) including prevHash), hex. */
export function hashRecord(record: UnhashedRecord): string {
  return createHash("sha256").update(canonicalEncoding(record)).digest("hex");
}
