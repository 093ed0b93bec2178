import { randomUUID } from "node:crypto";
import type { AuditSql } from "@/lib/audit/sql";
import { ASYNC_COMMIT } from "./bulk-write";
import type { ScannedAppRoleAssignment, ScannedDelegatedGrant, ScannedServicePrincipal, ScannedSignInActivity } from "../types";

/**
 * The scan's SQL (InventoryScan and its raw page tables), over either driver (lib/audit/sql.ts). Rows
 * travel as one JSON parameter per page and are inserted set-wise: one statement per page, whatever
 * its size. Inserts skip rows already stored (ON CONFLICT DO NOTHING), so a page read twice — after a
 * crash between storing it and moving the cursor, or after an expired page token — is stored once.
 */

/** Where each collection stands: the link of its next page, null once read to the end. */
export type ScanCursor = {
  servicePrincipals: string | null;
  grants: string | null;
  /** per API with app roles: the link of its next appRoleAssignedTo page, null once read; absent = not begun */
  assignments: Record<string, string | null>;
  /** collections read again from their first page after Graph refused an expired page token */
  restarts: number;
  /** times the scan was taken up again after it stopped (a fault, a restart of the portal) */
  resumes: number;
  /** the sign-in activity report's next page, null once read; absent in scans begun before the scan read it */
  signIns?: string | null;
  /** why the sign-in activity report could not be read (Graph refused it): the scan went on without it */
  signInsUnavailable?: string;
};

export type ScanRow = {
  id: string;
  tenantId: string;
  status: "running" | "completed" | "failed";
  phase: string;
  cursor: ScanCursor;
  pages: number;
  items: number;
  requests: number;
  throttled: number;
  expectedPages: number | null;
  lastError: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  leaseUntil: Date | null;
  summary: unknown;
};

export type Collection = "servicePrincipals" | "grants" | "assignments" | "signIns";

const SCAN_COLUMNS = `id::text, "tenantId"::text, status, phase, cursor, pages, items, requests, throttled, "expectedPages", "lastError", "startedAt", "finishedAt", "leaseUntil", summary`;

export class ScanAlreadyRunningError extends Error {
  constructor(readonly scanId: string) {
    super("An inventory scan of this tenant is already running.");
  }
}

/** The scan lost its lease: another process took it over after this one stalled. */
export class LeaseLostError extends Error {
  constructor() {
    super("The inventory scan is being continued elsewhere.");
  }
}

const interval = (ms: number) => `${Math.max(0, Math.round(ms))} milliseconds`;

/**
 * A new running scan holding its lease, or the one already running: the partial unique index
 * (one running scan per tenant) decides, so two portal processes cannot both start one.
 */
export async function createScan(
  sql: AuditSql,
  input: { tenantId: string; actor: { upn: string | null; name: string | null } | null; cursor: ScanCursor; holder: string; leaseMs: number },
): Promise<{ scanId: string } | { alreadyRunning: string }> {
  const previous = await sql.query<{ pages: number }>(
    `SELECT pages FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status = 'completed' ORDER BY "startedAt" DESC LIMIT 1`,
    [input.tenantId],
  );
  const id = randomUUID();
  const created = await sql.query<{ id: string }>(
    `INSERT INTO "InventoryScan" (id, "tenantId", "startedByUpn", "startedByName", cursor, "expectedPages", "leaseHolder", "leaseUntil")
     VALUES ($1::uuid, $2::uuid, $3, $4, $5::jsonb, $6, $7::uuid, now() + $8::interval)
     ON CONFLICT ("tenantId") WHERE status = 'running' DO NOTHING RETURNING id::text`,
    [id, input.tenantId, input.actor?.upn ?? null, input.actor?.name ?? null, JSON.stringify(input.cursor), previous[0]?.pages ?? null, input.holder, interval(input.leaseMs)],
  );
  if (created[0]) return { scanId: created[0].id };
  const running = await sql.query<{ id: string }>(`SELECT id::text FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status = 'running'`, [input.tenantId]);
  // the running one finished between the two statements: try once more
  return running[0] ? { alreadyRunning: running[0].id } : createScan(sql, input);
}

/** Takes the lease of a running scan nobody holds (its lease ran out) or `holder` already holds; null if not free. */
export async function claimScan(sql: AuditSql, scanId: string, holder: string, leaseMs: number): Promise<ScanRow | null> {
  const rows = await sql.query<ScanRow>(
    `UPDATE "InventoryScan" SET "leaseHolder" = $2::uuid, "leaseUntil" = now() + $3::interval,
       cursor = CASE WHEN "leaseHolder" = $2::uuid THEN cursor ELSE jsonb_set(cursor, '{resumes}', to_jsonb(COALESCE((cursor->>'resumes')::int, 0) + 1)) END
     WHERE id = $1::uuid AND status = 'running' AND ("leaseHolder" IS NULL OR "leaseHolder" = $2::uuid OR "leaseUntil" IS NULL OR "leaseUntil" < now())
     RETURNING ${SCAN_COLUMNS}`,
    [scanId, holder, interval(leaseMs)],
  );
  return rows[0] ?? null;
}

export async function readScan(sql: AuditSql, scanId: string): Promise<ScanRow | null> {
  return (await sql.query<ScanRow>(`SELECT ${SCAN_COLUMNS} FROM "InventoryScan" WHERE id = $1::uuid`, [scanId]))[0] ?? null;
}

/** Running scans of the tenant whose lease ran out: their process died or gave up for now. */
export async function abandonedScans(sql: AuditSql, tenantId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id::text FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status = 'running' AND ("leaseUntil" IS NULL OR "leaseUntil" < now())`,
    [tenantId],
  );
  return rows.map((row) => row.id);
}

export async function renewLease(sql: AuditSql, scanId: string, holder: string, leaseMs: number): Promise<boolean> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InventoryScan" SET "leaseUntil" = now() + $3::interval WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running' RETURNING id::text`,
    [scanId, holder, interval(leaseMs)],
  );
  return rows.length > 0;
}

/** The scan stops for now, resumable: the lease is let go at once so the next job run can take it up. */
export async function releaseScan(sql: AuditSql, scanId: string, holder: string, error: string | null): Promise<void> {
  await sql.query(
    `UPDATE "InventoryScan" SET "leaseHolder" = NULL, "leaseUntil" = NULL, "lastError" = COALESCE($3, "lastError") WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running'`,
    [scanId, holder, error],
  );
}

export async function failScan(sql: AuditSql, scanId: string, holder: string, error: string): Promise<void> {
  await sql.query(
    `UPDATE "InventoryScan" SET status = 'failed', "finishedAt" = now(), "lastError" = $3, "leaseHolder" = NULL, "leaseUntil" = NULL
     WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running'`,
    [scanId, holder, error],
  );
}

export async function setPhase(sql: AuditSql, scanId: string, holder: string, phase: string, expectedPages?: number): Promise<void> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InventoryScan" SET phase = $3, "expectedPages" = COALESCE($4, "expectedPages") WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running' RETURNING id::text`,
    [scanId, holder, phase, expectedPages ?? null],
  );
  if (rows.length === 0) throw new LeaseLostError();
}

const INSERTS: Record<Collection, string> = {
  servicePrincipals: `INSERT INTO "InventoryServicePrincipal" ("scanId", id, "appId", data)
    SELECT $1::uuid, (r->>'id')::uuid, (r->>'appId')::uuid, r FROM jsonb_array_elements($2::jsonb) AS r WHERE ${ASYNC_COMMIT}
    ON CONFLICT DO NOTHING RETURNING 1`,
  grants: `INSERT INTO "InventoryGrant" ("scanId", id, "clientId", "resourceId", "consentType", "principalId", scope)
    SELECT $1::uuid, r.id, r."clientId", r."resourceId", r."consentType", r."principalId", r.scope
    FROM json_to_recordset($2::json) AS r(id text, "clientId" uuid, "resourceId" uuid, "consentType" text, "principalId" uuid, scope text) WHERE ${ASYNC_COMMIT}
    ON CONFLICT DO NOTHING RETURNING 1`,
  assignments: `INSERT INTO "InventoryAssignment" ("scanId", id, "principalId", "principalType", "resourceId", "appRoleId", "createdDateTime")
    SELECT $1::uuid, r.id, r."principalId", r."principalType", r."resourceId", r."appRoleId", r."createdDateTime"
    FROM json_to_recordset($2::json) AS r(id text, "principalId" uuid, "principalType" text, "resourceId" uuid, "appRoleId" uuid, "createdDateTime" timestamptz) WHERE ${ASYNC_COMMIT}
    ON CONFLICT DO NOTHING RETURNING 1`,
  signIns: `INSERT INTO "InventorySignIn" ("scanId", "appId", "lastSignIn")
    SELECT $1::uuid, r."appId", r."lastSignIn" FROM json_to_recordset($2::json) AS r("appId" uuid, "lastSignIn" timestamptz) WHERE ${ASYNC_COMMIT}
    ON CONFLICT DO NOTHING RETURNING 1`,
};

export type PageWrite = {
  collection: Collection;
  rows: ScannedServicePrincipal[] | ScannedDelegatedGrant[] | ScannedAppRoleAssignment[] | ScannedSignInActivity[];
  /** the cursor entry to set: ["grants"] or ["assignments", resourceId] */
  cursorPath: string[];
  /** the next link, null once this collection (or this API's assignments) is read to the end */
  next: string | null;
  requests: number;
  throttled: number;
};

/**
 * Stores one page and moves the cursor past it in one statement: rows, cursor, counters and lease
 * together, so a crash leaves either the page with its cursor or neither. Throws LeaseLostError
 * when another process holds the scan now.
 */
export async function storePage(sql: AuditSql, scanId: string, holder: string, leaseMs: number, write: PageWrite): Promise<void> {
  const rows = await sql.query<{ id: string }>(
    `WITH stored AS (${INSERTS[write.collection]})
     UPDATE "InventoryScan" SET cursor = jsonb_set(cursor, $3::text[], $4::jsonb, true), pages = pages + 1,
       items = items + (SELECT count(*)::int FROM stored), requests = requests + $5, throttled = throttled + $6, "leaseUntil" = now() + $8::interval
     WHERE id = $1::uuid AND "leaseHolder" = $7::uuid AND status = 'running' RETURNING id::text`,
    [scanId, JSON.stringify(write.rows), `{${write.cursorPath.join(",")}}`, JSON.stringify(write.next), write.requests, write.throttled, holder, interval(leaseMs)],
  );
  if (rows.length === 0) throw new LeaseLostError();
}

/**
 * The pipelined form of storePage for a collection read page after page: the rows of a page go in on
 * their own (several pages at once), and the cursor moves past each page, in page order, only once its
 * rows are in (advanceCursor with the count insertPageRows returned). A crash between the two leaves
 * rows whose cursor did not move: the page is read again and stored once, and counted once (a row
 * already stored is not returned again).
 */
export async function insertPageRows(sql: AuditSql, scanId: string, collection: Collection, rows: PageWrite["rows"]): Promise<number> {
  const stored = await sql.query<{ n: number }>(`WITH stored AS (${INSERTS[collection]}) SELECT count(*)::int AS n FROM stored`, [scanId, JSON.stringify(rows)]);
  return stored[0]?.n ?? 0;
}

export async function advanceCursor(sql: AuditSql, scanId: string, holder: string, leaseMs: number, write: Omit<PageWrite, "rows" | "collection"> & { items: number }): Promise<void> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InventoryScan" SET cursor = jsonb_set(cursor, $2::text[], $3::jsonb, true), pages = pages + 1,
       items = items + $4, requests = requests + $5, throttled = throttled + $6, "leaseUntil" = now() + $8::interval
     WHERE id = $1::uuid AND "leaseHolder" = $7::uuid AND status = 'running' AND ${ASYNC_COMMIT} RETURNING id::text`,
    [scanId, `{${write.cursorPath.join(",")}}`, JSON.stringify(write.next), write.items, write.requests, write.throttled, holder, interval(leaseMs)],
  );
  if (rows.length === 0) throw new LeaseLostError();
}

/** The sign-in report refused: its cursor closed and the reason kept, so the scan (and a resumed one) goes on without it. */
export async function signInsUnavailable(sql: AuditSql, scanId: string, holder: string, reason: string): Promise<void> {
  // no half a report: an app missing from it would read as never signed in
  await sql.query(`DELETE FROM "InventorySignIn" WHERE "scanId" = $1::uuid`, [scanId]);
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InventoryScan" SET cursor = jsonb_set(jsonb_set(cursor, '{signIns}', 'null'::jsonb, true), '{signInsUnavailable}', to_jsonb($3::text), true)
     WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running' RETURNING id::text`,
    [scanId, holder, reason],
  );
  if (rows.length === 0) throw new LeaseLostError();
}

export async function countSignIns(sql: AuditSql, scanId: string): Promise<number> {
  return (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "InventorySignIn" WHERE "scanId" = $1::uuid`, [scanId]))[0]?.n ?? 0;
}

/** Moves the cursor without a page: a collection read again from its first page (`restarts` counts it). */
export async function restartCollection(sql: AuditSql, scanId: string, holder: string, cursorPath: string[], first: string): Promise<void> {
  const rows = await sql.query<{ id: string }>(
    `UPDATE "InventoryScan" SET cursor = jsonb_set(jsonb_set(cursor, $3::text[], $4::jsonb, true), '{restarts}', to_jsonb(COALESCE((cursor->>'restarts')::int, 0) + 1))
     WHERE id = $1::uuid AND "leaseHolder" = $2::uuid AND status = 'running' RETURNING id::text`,
    [scanId, holder, `{${cursorPath.join(",")}}`, JSON.stringify(first)],
  );
  if (rows.length === 0) throw new LeaseLostError();
}

/** The APIs with app roles among the service principals stored so far (a resumed scan's assignment work). */
export async function resourcesWithAppRoles(sql: AuditSql, scanId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT id::text FROM "InventoryServicePrincipal" WHERE "scanId" = $1::uuid AND jsonb_array_length(COALESCE(data->'appRoles', '[]'::jsonb)) > 0 ORDER BY id`,
    [scanId],
  );
  return rows.map((row) => row.id);
}

/** Service principals a grant or assignment names that the listing did not hold (created while it ran). */
export async function unlistedServicePrincipals(sql: AuditSql, scanId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT DISTINCT ref.id::text FROM (
       SELECT "clientId" AS id FROM "InventoryGrant" WHERE "scanId" = $1::uuid
       UNION SELECT "resourceId" FROM "InventoryGrant" WHERE "scanId" = $1::uuid
       UNION SELECT "principalId" FROM "InventoryAssignment" WHERE "scanId" = $1::uuid AND "principalType" = 'ServicePrincipal'
     ) AS ref
     WHERE NOT EXISTS (SELECT 1 FROM "InventoryServicePrincipal" sp WHERE sp."scanId" = $1::uuid AND sp.id = ref.id)`,
    [scanId],
  );
  return rows.map((row) => row.id);
}

export async function storeServicePrincipals(sql: AuditSql, scanId: string, rows: ScannedServicePrincipal[]): Promise<void> {
  if (rows.length === 0) return;
  await sql.query(`WITH stored AS (${INSERTS.servicePrincipals}) SELECT count(*)::int AS n FROM stored`, [scanId, JSON.stringify(rows)]);
}
