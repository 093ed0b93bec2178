import type { AuditSql } from "@/lib/audit/sql";
import type { AppBaselineRecord, BaselinePermission, BaselineSource, DetectedDrift, DriftStatus } from "./types";

/**
 * The drifts as the portal follows them (BaselineDrift): one open row per key (a partial unique index), so
 * a drift found scan after scan is one row — its lastSeenAt moves, it is notified once — until an admin
 * accepts or reverts it, or the tenant matches the baseline again ("resolved"). Plain SQL over AuditSql, so
 * the inventory scan (its own `pg` pool), the live checks and the tests share it.
 */

/** A detected drift as stored: the row's id, where it stands, and who closed it. */
export type DriftRecord = DetectedDrift & {
  id: string;
  status: DriftStatus;
  detectedBy: "scan" | "drift-import" | "check";
  firstSeenAt: Date;
  lastSeenAt: Date;
  notifiedAt: Date | null;
  closedAt: Date | null;
  closedByUpn: string | null;
  closedByName: string | null;
  closedReason: string | null;
};

const COLUMNS = `id::text, key, kind, "appId"::text AS "appId", "appName", "servicePrincipalId"::text AS "servicePrincipalId", permissions, detail, status,
  "detectedBy", "firstSeenAt", "lastSeenAt", "notifiedAt", "closedAt", "closedByUpn", "closedByName", "closedReason"`;

const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
function toRecord(row: DriftRecord): DriftRecord {
  return { ...row, firstSeenAt: toDate(row.firstSeenAt)!, lastSeenAt: toDate(row.lastSeenAt)!, notifiedAt: toDate(row.notifiedAt), closedAt: toDate(row.closedAt) };
}

/** The baselines as detection needs them, read with the caller's SQL handle (the scan has no Prisma client). */
export async function baselinesFor(sql: AuditSql, appIds?: readonly string[]): Promise<AppBaselineRecord[]> {
  const rows = await sql.query<{
    appId: string; displayName: string; permissions: BaselinePermission[]; verifiedPublisher: string | null; source: string; justification: string; requestId: string | null;
    approvedByOid: string; approvedByUpn: string; approvedByName: string; approvedAt: Date | string; version: number;
  }>(
    `SELECT "appId"::text AS "appId", "displayName", permissions, "verifiedPublisher", source, justification, "requestId", "approvedByOid"::text AS "approvedByOid",
       "approvedByUpn", "approvedByName", "approvedAt", version FROM "AppBaseline"
     ${appIds ? `WHERE "appId" IN (SELECT value::uuid FROM json_array_elements_text($1::json))` : ""}`,
    appIds ? [JSON.stringify(appIds.map((id) => id.toLowerCase()))] : [],
  );
  return rows.map((row) => ({
    appId: row.appId,
    displayName: row.displayName,
    permissions: row.permissions,
    verifiedPublisher: row.verifiedPublisher,
    source: row.source as BaselineSource,
    justification: row.justification,
    requestId: row.requestId,
    approvedBy: { oid: row.approvedByOid, upn: row.approvedByUpn, name: row.approvedByName },
    approvedAt: new Date(row.approvedAt).toISOString(),
    version: Number(row.version),
  }));
}

/** Whether the portal approves anything yet: until then, every app would be "never approved", so that kind waits. */
export async function anyBaseline(sql: AuditSql): Promise<boolean> {
  return (await sql.query(`SELECT 1 AS one FROM "AppBaseline" LIMIT 1`)).length > 0;
}

export type DriftRecording = {
  /** the drifts this check found that were not open before: to notify */
  opened: DriftRecord[];
  /** open drifts seen again */
  seen: number;
  /** open drifts this check no longer found (closed as "resolved") */
  resolved: number;
};

const WRITE_ROWS = 1_000;

/**
 * Stores what one check found. `scope` is what the check looked at: "all" (a scan reads the whole tenant)
 * or the apps it read; an open drift in scope that the check did not find again is resolved — the tenant
 * matches the baseline again — while drifts of apps it did not look at stay as they are.
 */
export async function recordDrifts(
  sql: AuditSql,
  input: { detected: readonly DetectedDrift[]; scope: "all" | readonly string[]; detectedBy: DriftRecord["detectedBy"]; now: Date },
): Promise<DriftRecording> {
  const { now } = input;
  const detected = [...new Map(input.detected.map((d) => [d.key, d])).values()];
  const openedIds: string[] = [];
  let seen = 0;
  for (let at = 0; at < detected.length; at += WRITE_ROWS) {
    const slice = detected.slice(at, at + WRITE_ROWS);
    // One JSON parameter: the same statement over Prisma (the drift import, the pages) and `pg` (the scan).
    const rows = await sql.query<{ id: string; inserted: boolean }>(
      `INSERT INTO "BaselineDrift" (id, key, kind, "appId", "appName", "servicePrincipalId", permissions, detail, status, "detectedBy", "firstSeenAt", "lastSeenAt")
       SELECT gen_random_uuid(), r.key, r.kind, r."appId"::uuid, r."appName", r."servicePrincipalId"::uuid, r.permissions, r.detail, 'open', $1, $2::timestamptz, $2::timestamptz
       FROM json_to_recordset($3::json) AS r(key text, kind text, "appId" text, "appName" text, "servicePrincipalId" text, permissions jsonb, detail text)
       ON CONFLICT (key) WHERE status = 'open'
       DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt", "appName" = EXCLUDED."appName", "servicePrincipalId" = COALESCE(EXCLUDED."servicePrincipalId", "BaselineDrift"."servicePrincipalId"),
         permissions = EXCLUDED.permissions, detail = EXCLUDED.detail
       RETURNING id::text, (xmax = 0) AS inserted`,
      [input.detectedBy, now.toISOString(), JSON.stringify(slice.map(({ key, kind, appId, appName, servicePrincipalId, permissions, detail }) => ({ key, kind, appId, appName, servicePrincipalId, permissions, detail })))],
    );
    for (const row of rows) {
      if (row.inserted) openedIds.push(row.id);
      else seen += 1;
    }
  }
  const keys = JSON.stringify(detected.map((d) => d.key));
  const inScope = input.scope === "all" ? "" : `AND "appId" IN (SELECT value::uuid FROM json_array_elements_text($3::json))`;
  const resolved = await sql.query<{ id: string }>(
    `UPDATE "BaselineDrift" SET status = 'resolved', "closedAt" = $1::timestamptz, "closedReason" = 'The tenant matches the approved baseline again.'
     WHERE status = 'open' AND key NOT IN (SELECT value FROM json_array_elements_text($2::json)) ${inScope}
     RETURNING id::text`,
    [now.toISOString(), keys, ...(input.scope === "all" ? [] : [JSON.stringify(input.scope.map((id) => id.toLowerCase()))])],
  );
  const opened = openedIds.length ? await driftsByIds(sql, openedIds) : [];
  return { opened, seen, resolved: resolved.length };
}

async function driftsByIds(sql: AuditSql, ids: readonly string[]): Promise<DriftRecord[]> {
  const rows = await sql.query<DriftRecord>(
    `SELECT ${COLUMNS} FROM "BaselineDrift" WHERE id IN (SELECT value::uuid FROM json_array_elements_text($1::json)) ORDER BY "appName", kind, key`,
    [JSON.stringify(ids)],
  );
  return rows.map(toRecord);
}

export async function readDrift(sql: AuditSql, id: string): Promise<DriftRecord | null> {
  return (await driftsByIds(sql, [id]))[0] ?? null;
}

/** Open drifts, newest first (of one app when `appId` is given). */
export async function openDrifts(sql: AuditSql, options: { appId?: string; limit?: number } = {}): Promise<DriftRecord[]> {
  const rows = await sql.query<DriftRecord>(
    `SELECT ${COLUMNS} FROM "BaselineDrift" WHERE status = 'open' ${options.appId ? `AND "appId" = $2::uuid` : ""}
     ORDER BY "firstSeenAt" DESC, "appName", key LIMIT $1`,
    [options.limit ?? 500, ...(options.appId ? [options.appId.toLowerCase()] : [])],
  );
  return rows.map(toRecord);
}

/** Drifts closed lately, newest first: what the drift page shows under the open ones. */
export async function recentlyClosedDrifts(sql: AuditSql, limit = 20): Promise<DriftRecord[]> {
  const rows = await sql.query<DriftRecord>(`SELECT ${COLUMNS} FROM "BaselineDrift" WHERE status <> 'open' ORDER BY "closedAt" DESC NULLS LAST LIMIT $1`, [limit]);
  return rows.map(toRecord);
}

/** The apps with open drifts: what a live check looks at besides the baselined apps (an unapproved app may have lost its consent). */
export async function appsWithOpenDrift(sql: AuditSql): Promise<string[]> {
  return (await sql.query<{ appId: string }>(`SELECT DISTINCT "appId"::text AS "appId" FROM "BaselineDrift" WHERE status = 'open'`)).map((row) => row.appId);
}

/** Closes an open drift (accepted or reverted by an admin); false when it was not open any more. */
export async function closeDrift(
  sql: AuditSql,
  id: string,
  close: { status: Exclude<DriftStatus, "open">; by: { upn: string; name: string } | null; reason: string; now: Date },
): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "BaselineDrift" SET status = $2, "closedAt" = $3::timestamptz, "closedByUpn" = $4, "closedByName" = $5, "closedReason" = $6
     WHERE id = $1::uuid AND status = 'open' RETURNING id::text`,
    [id, close.status, close.now.toISOString(), close.by?.upn ?? null, close.by?.name ?? null, close.reason],
  );
  return rows.length === 1;
}

/** Open drifts nobody was told of yet (the scan records them; the notification job tells people). */
export async function unnotifiedDrifts(sql: AuditSql, limit = 500): Promise<DriftRecord[]> {
  const rows = await sql.query<DriftRecord>(`SELECT ${COLUMNS} FROM "BaselineDrift" WHERE status = 'open' AND "notifiedAt" IS NULL ORDER BY "appName", key LIMIT $1`, [limit]);
  return rows.map(toRecord);
}

export async function markNotified(sql: AuditSql, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(`UPDATE "BaselineDrift" SET "notifiedAt" = $2::timestamptz WHERE id IN (SELECT value::uuid FROM json_array_elements_text($1::json))`, [JSON.stringify(ids), now.toISOString()]);
}
