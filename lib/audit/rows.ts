import type { AuditOutcome, AuditRecord, AuditSource } from "./canonical";
import type { AuditSql } from "./sql";

/** Column order of the positional JSON arrays selectRecords() reads. */
const JSON_COLUMNS = `seq::text, "occurredAt", source, "externalId", "correlationId", "tenantId", "actorOid", "actorUpn", "actorName",
  "actorRoles", action, "targetType", "targetAppId", "targetId", "targetName", before, after, justification, outcome,
  "graphRequestIds", "clientIp", "userAgent", "prevHash", hash`;

type JsonRow = [string, string, string, string | null, string, string, string | null, string | null, string | null, string[] | null, string, string, string | null, string | null, string | null, unknown, unknown, string | null, string, string[] | null, string | null, string | null, string, string];

/**
 * Events matching `where`, in seq order, as ONE JSON text built by the database: a single
 * JSON.parse per chunk instead of per-column type parsing in the driver (the hot path of verify and
 * export at a million events), and the same result from pg and from Prisma.
 */
export async function selectRecords(sql: AuditSql, where: string, params: readonly unknown[], order: "chain" | "newest", limit: number): Promise<AuditRecord[]> {
  const [inner, outer] = order === "chain" ? [`e.seq ASC`, `t.seq ASC`] : [`e."occurredAt" DESC, e.seq DESC`, `t."occurredAt" DESC, t.seq DESC`];
  const [row] = await sql.query<{ rows: string | null }>(
    `SELECT json_agg(json_build_array(${JSON_COLUMNS}) ORDER BY ${outer})::text AS rows
       FROM (SELECT * FROM "AuditEvent" e WHERE ${where} ORDER BY ${inner} LIMIT ${Math.floor(limit)}) t`,
    params,
  );
  if (!row?.rows) return [];
  return (JSON.parse(row.rows) as JsonRow[]).map((r) => ({
    seq: BigInt(r[0]),
    occurredAt: new Date(r[1]),
    source: r[2] as AuditSource,
    externalId: r[3],
    correlationId: r[4],
    tenantId: r[5],
    actorOid: r[6],
    actorUpn: r[7],
    actorName: r[8],
    actorRoles: r[9] ?? [],
    action: r[10],
    targetType: r[11],
    targetAppId: r[12],
    targetId: r[13],
    targetName: r[14],
    before: r[15],
    after: r[16],
    justification: r[17],
    outcome: r[18] as AuditOutcome,
    graphRequestIds: r[19] ?? [],
    clientIp: r[20],
    userAgent: r[21],
    prevHash: r[22].trim(),
    hash: r[23].trim(),
  }));
}
