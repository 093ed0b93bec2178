import type { AuditOutcome, AuditRecord, AuditSource } from "./canonical";
import type { AuditSql } from "./sql";

/**
 * One event exactly as the database prints it, every column text: the lean shape verify and export
 * work on at a million events (no Date, BigInt or parsed JSON per row unless a step needs it).
 * `occurredAt` is UTC ISO with milliseconds; array columns are JSON arrays; before/after jsonb text.
 */
export type TextRow = {
  seq: string;
  occurredAt: string;
  source: string;
  externalId: string | null;
  correlationId: string;
  tenantId: string;
  actorOid: string | null;
  actorUpn: string | null;
  actorName: string | null;
  actorRoles: string | null;
  action: string;
  targetType: string;
  targetAppId: string | null;
  targetId: string | null;
  targetName: string | null;
  before: string | null;
  after: string | null;
  justification: string | null;
  outcome: string;
  graphRequestIds: string | null;
  clientIp: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
};

// Text columns, so both drivers (pg and Prisma) return the same strings with no per-column type
// parsing. to_char gives ISO 8601 whatever the session's DateStyle and TimeZone.
export const TEXT_COLUMNS = `e.seq::text AS seq, to_char(e."occurredAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt",
  e.source, e."externalId", e."correlationId"::text AS "correlationId", e."tenantId"::text AS "tenantId", e."actorOid"::text AS "actorOid",
  e."actorUpn", e."actorName", array_to_json(e."actorRoles")::text AS "actorRoles", e.action, e."targetType", e."targetAppId",
  e."targetId", e."targetName", e.before::text AS before, e.after::text AS after, e.justification, e.outcome,
  array_to_json(e."graphRequestIds")::text AS "graphRequestIds", e."clientIp", e."userAgent", e."prevHash"::text AS "prevHash", e.hash::text AS hash`;

const ORDER = { chain: `e.seq ASC`, newest: `e."occurredAt" DESC, e.seq DESC` } as const;

/** Events matching `where` (over alias `e`), as text rows, in chain order or newest first. */
export function selectTextRows(sql: AuditSql, where: string, params: readonly unknown[], order: keyof typeof ORDER, limit: number): Promise<TextRow[]> {
  return sql.query<TextRow>(`SELECT ${TEXT_COLUMNS} FROM "AuditEvent" e WHERE ${where} ORDER BY ${ORDER[order]} LIMIT ${Math.floor(limit)}`, params);
}

const strings = (json: string | null): string[] => (json === null ? [] : (JSON.parse(json) as string[]));
const value = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

export function recordOf(row: TextRow): AuditRecord {
  return {
    seq: BigInt(row.seq),
    occurredAt: new Date(row.occurredAt),
    source: row.source as AuditSource,
    externalId: row.externalId,
    correlationId: row.correlationId,
    tenantId: row.tenantId,
    actorOid: row.actorOid,
    actorUpn: row.actorUpn,
    actorName: row.actorName,
    actorRoles: strings(row.actorRoles),
    action: row.action,
    targetType: row.targetType,
    targetAppId: row.targetAppId,
    targetId: row.targetId,
    targetName: row.targetName,
    before: value(row.before),
    after: value(row.after),
    justification: row.justification,
    outcome: row.outcome as AuditOutcome,
    graphRequestIds: strings(row.graphRequestIds),
    clientIp: row.clientIp,
    userAgent: row.userAgent,
    prevHash: row.prevHash.trim(),
    hash: row.hash.trim(),
  };
}

/** Events matching `where`, as records (pages, the event view). */
export async function selectRecords(sql: AuditSql, where: string, params: readonly unknown[], order: keyof typeof ORDER, limit: number): Promise<AuditRecord[]> {
  return (await selectTextRows(sql, where, params, order, limit)).map(recordOf);
}

