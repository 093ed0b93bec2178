import type { AuditSql } from "@/lib/audit/sql";

/**
 * What changed in the tenant's consent between two scans, per client app (service principal): an app
 * is new when it holds consent now and held none then, gone the other way round, changed when what it
 * holds differs — a scope added or removed, tenant-wide or one user's, an app role assigned or removed.
 * The comparison runs in the database over both scans' raw rows: one fingerprint per app (scopes in
 * sorted order, so a grant re-written with the same scopes in another order is no change).
 */

export type AppChange = "new" | "changed" | "gone";

export type ScanChanges = {
  previousScanId: string | null;
  /** servicePrincipalId → what happened to its consent */
  byApp: Map<string, AppChange>;
};

/** The per-app fingerprints of one scan's consent, as a SQL sub-select over $n (the scan id). */
const fingerprints = (scanParam: string) => `
  SELECT client, md5(string_agg(part, '|' ORDER BY part)) AS print FROM (
    SELECT g."clientId" AS client,
      'd:' || g."resourceId"::text || ':' || g."consentType" || ':' || COALESCE(g."principalId"::text, '') || ':' ||
      array_to_string(ARRAY(SELECT DISTINCT s FROM unnest(string_to_array(g.scope, ' ')) AS s WHERE s <> '' ORDER BY s), ' ') AS part
    FROM "InventoryGrant" g WHERE g."scanId" = ${scanParam}::uuid
    UNION ALL
    SELECT a."principalId", 'a:' || a."resourceId"::text || ':' || a."appRoleId"::text
    FROM "InventoryAssignment" a WHERE a."scanId" = ${scanParam}::uuid AND a."principalType" = 'ServicePrincipal'
  ) AS parts GROUP BY client`;

/** The changes from `previousScanId` to `scanId`; none when there is no previous scan (everything is simply there). */
export async function consentChanges(sql: AuditSql, scanId: string, previousScanId: string | null): Promise<ScanChanges> {
  const byApp = new Map<string, AppChange>();
  if (!previousScanId) return { previousScanId, byApp };
  const rows = await sql.query<{ id: string; change: AppChange }>(
    `WITH now_ AS (${fingerprints("$1")}), then_ AS (${fingerprints("$2")})
     SELECT COALESCE(now_.client, then_.client)::text AS id,
       CASE WHEN then_.client IS NULL THEN 'new' WHEN now_.client IS NULL THEN 'gone' ELSE 'changed' END AS change
     FROM now_ FULL JOIN then_ ON now_.client = then_.client
     WHERE now_.print IS DISTINCT FROM then_.print`,
    [scanId, previousScanId],
  );
  for (const row of rows) byApp.set(row.id.toLowerCase(), row.change);
  return { previousScanId, byApp };
}

/** The newest completed scan of the tenant other than `scanId` (the one a new scan is compared with). */
export async function previousCompletedScan(sql: AuditSql, tenantId: string, scanId: string): Promise<{ id: string; startedAt: Date } | null> {
  const rows = await sql.query<{ id: string; startedAt: Date }>(
    `SELECT id::text, "startedAt" FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status = 'completed' AND id <> $2::uuid ORDER BY "startedAt" DESC LIMIT 1`,
    [tenantId, scanId],
  );
  return rows[0] ?? null;
}

/**
 * Of the apps whose consent is new or changed, those the portal's audit trail shows no succeeded change
 * for since the previous scan began: their consent was granted (or changed) outside the portal — in
 * the Entra admin center, by a user's own consent, by a script.
 */
export async function changedOutsidePortal(sql: AuditSql, input: { tenantId: string; since: Date; changes: ScanChanges; appIdOf: ReadonlyMap<string, string> }): Promise<Set<string>> {
  const candidates = [...input.changes.byApp].filter(([, change]) => change !== "gone").map(([spId]) => spId);
  if (candidates.length === 0) return new Set();
  const appIds = [...new Set(candidates.flatMap((spId) => input.appIdOf.get(spId) ?? []))];
  const rows = await sql.query<{ appId: string }>(
    `SELECT DISTINCT lower("targetAppId") AS "appId" FROM "AuditEvent"
     WHERE "tenantId" = $1::uuid AND source = 'portal' AND outcome = 'succeeded' AND "occurredAt" >= $2
       AND lower("targetAppId") IN (SELECT lower(value) FROM json_array_elements_text($3::json))`,
    [input.tenantId, input.since, JSON.stringify(appIds)],
  );
  const throughPortal = new Set(rows.map((row) => row.appId));
  return new Set(candidates.filter((spId) => !throughPortal.has((input.appIdOf.get(spId) ?? "").toLowerCase())));
}
