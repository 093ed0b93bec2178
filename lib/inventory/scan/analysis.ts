import type { AuditSql } from "@/lib/audit/sql";
import { buildInventoryApp, resourceInfo, type ResourceInfo } from "../build";
import { changedOutsidePortal, consentChanges, previousCompletedScan, type AppChange } from "../diff";
import { storedFindingsFor, type StoredFinding } from "../findings";
import { assessApp } from "../risk";
import { ASYNC_COMMIT } from "./bulk-write";
import type { InventoryApp, ScannedAppRoleAssignment, ScannedDelegatedGrant, ScannedServicePrincipal } from "../types";

/**
 * The scan's last phase: from the raw rows of this scan to one InventoryApp row per client app with
 * consent (its permissions and explained risk), the findings, and the changes since the previous
 * completed scan. Apps are built a chunk at a time (CHUNK client apps, their rows read by key range), so a
 * tenant of 100k apps never sits in memory whole. Re-runnable: a resumed scan drops what a previous
 * attempt of this phase wrote and builds it again.
 */

const CHUNK = 1_000;
/** The apps that left since the previous scan, named in the summary (the count is always complete). */
const GONE_LISTED = 200;

export type ScanSummary = {
  servicePrincipals: number;
  grants: number;
  assignments: number;
  apps: number;
  findings: number;
  pages: number;
  requests: number;
  throttled: number;
  /** collections read again from their first page after an expired page token */
  restarts: number;
  /** times the scan was taken up again after it stopped */
  resumes: number;
  /**
   * The sign-in activity report: how many apps it named, or why Graph refused it (then no app has a last
   * sign-in, and neither the unused-app finding nor the risk factor can fire). Absent in older scans.
   */
  signIns?: { available: true; apps: number } | { available: false; reason: string };
  /**
   * The time the analysis judged the tenant at (ISO): the unused-app findings' days count from it when
   * their sentences are derived on reading. Absent in older scans (their findings read it from finishedAt).
   */
  analysedAt?: string;
  changes: {
    previousScanId: string | null;
    new: number;
    changed: number;
    gone: number;
    goneApps: { servicePrincipalId: string; appId: string; displayName: string }[];
    /** apps new or changed with no succeeded portal change of theirs in the audit trail */
    outsidePortal: number;
  };
};

type AnalysisInput = { sql: AuditSql; scanId: string; tenantId: string; now: Date; unusedAfterDays: number };

const json = (value: unknown) => JSON.stringify(value);

async function inChunks<T>(ids: readonly string[], work: (chunk: string[]) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < ids.length; start += CHUNK) results.push(await work(ids.slice(start, start + CHUNK)));
  return results;
}

async function servicePrincipalsByIds(sql: AuditSql, scanId: string, ids: readonly string[]): Promise<ScannedServicePrincipal[]> {
  const rows = await sql.query<{ data: ScannedServicePrincipal }>(
    `SELECT data FROM "InventoryServicePrincipal" WHERE "scanId" = $1::uuid AND id IN (SELECT value::uuid FROM json_array_elements_text($2::json))`,
    [scanId, json(ids)],
  );
  return rows.map((row) => row.data);
}

async function loadResources(sql: AuditSql, scanId: string): Promise<Map<string, ResourceInfo>> {
  const rows = await sql.query<{ data: ScannedServicePrincipal }>(
    `SELECT sp.data FROM "InventoryServicePrincipal" sp WHERE sp."scanId" = $1::uuid AND sp.id IN (
       SELECT "resourceId" FROM "InventoryGrant" WHERE "scanId" = $1::uuid UNION SELECT "resourceId" FROM "InventoryAssignment" WHERE "scanId" = $1::uuid)`,
    [scanId],
  );
  return new Map(rows.map((row) => [row.data.id.toLowerCase(), resourceInfo(row.data)]));
}

/**
 * The apps and findings go in as one array parameter per column, unnest()ed into rows: PostgreSQL reads
 * arrays several times faster than json_to_recordset reads the same rows (and that one slower still for
 * jsonb columns), which made these inserts the analysis's largest cost. JSON columns travel as text.
 * The apps' permissions, most of the bytes, travel as one text of JSON documents joined by a record
 * separator and split by string_to_array: no array quoting for the driver to add and PostgreSQL to
 * undo (JSON.stringify never writes a raw control character, so the separator cannot occur in them).
 */
const APP_COLUMNS = [
  ["servicePrincipalId", "uuid"], ["appId", "uuid"], ["displayName", "text"], ["publisherName", "text"], ["verifiedPublisher", "text"],
  ["firstParty", "boolean"], ["multiTenant", "boolean"], ["riskLevel", "text"], ["riskScore", "int"], ["riskSummary", "text"], ["riskFactors", "text"],
  ["permissions", "joined"], ["permissionCount", "int"], ["allUsers", "boolean"], ["consentedUsers", "int"], ["lastSignIn", "timestamptz"], ["change", "text"],
] as const;
const FINDING_COLUMNS = [
  ["key", "text"], ["kind", "text"], ["severity", "text"], ["servicePrincipalId", "uuid"], ["appId", "uuid"], ["appName", "text"],
] as const;

/** Separates the JSON documents of a "joined" column: ASCII's record separator. */
const RECORD_SEPARATOR = "\x1e";
type Columns = readonly (readonly [string, string])[];
const unnestOf = (columns: Columns) =>
  `unnest(${columns.map(([, type], i) => (type === "joined" ? `string_to_array($${i + 2}::text, E'\\x1e')` : `$${i + 2}::${type}[]`)).join(", ")}) AS r(${columns.map(([name]) => `"${name}"`).join(", ")})`;
/** The column arrays of `rows`, in `columns` order: the parameters after the scan id. */
const columnArrays = (columns: Columns, rows: readonly Record<string, unknown>[]) =>
  columns.map(([name, type]) => (type === "joined" ? rows.map((row) => row[name]).join(RECORD_SEPARATOR) : rows.map((row) => row[name] ?? null)));

const APP_INSERT = `INSERT INTO "InventoryApp" ("scanId", "servicePrincipalId", "appId", "displayName", "publisherName", "verifiedPublisher", "firstParty", "multiTenant",
    "riskLevel", "riskScore", "riskSummary", "riskFactors", permissions, "permissionCount", "allUsers", "consentedUsers", "lastSignIn", change)
  SELECT $1::uuid, r."servicePrincipalId", r."appId", r."displayName", r."publisherName", r."verifiedPublisher", r."firstParty", r."multiTenant",
    r."riskLevel", r."riskScore", r."riskSummary", string_to_array(r."riskFactors", E'\\x1f'), r.permissions, r."permissionCount", r."allUsers",
    r."consentedUsers", r."lastSignIn", r.change
  FROM ${unnestOf(APP_COLUMNS)} WHERE ${ASYNC_COMMIT}`;

const FINDING_INSERT = `INSERT INTO "InventoryFinding" ("scanId", key, kind, severity, "servicePrincipalId", "appId", "appName")
  SELECT $1::uuid, r.key, r.kind, r.severity, r."servicePrincipalId", r."appId", r."appName"
  FROM ${unnestOf(FINDING_COLUMNS)} WHERE ${ASYNC_COMMIT}
  ON CONFLICT DO NOTHING`;

/** Joins an app's risk factors into one text field for the insert; no factor contains it. */
const FACTOR_SEPARATOR = "\x1f";

function appRow(app: InventoryApp, change: AppChange | undefined, ctx: { now: Date; unusedAfterDays: number }) {
  const risk = assessApp(app, ctx);
  return {
    servicePrincipalId: app.servicePrincipalId, appId: app.appId, displayName: app.displayName, publisherName: app.publisherName,
    verifiedPublisher: app.verifiedPublisher, firstParty: app.firstParty, multiTenant: app.multiTenant, riskLevel: risk.level,
    riskScore: Math.round(risk.score), riskSummary: risk.summary, riskFactors: risk.factors.join(FACTOR_SEPARATOR), permissions: json(app.permissions),
    permissionCount: app.permissions.length, allUsers: app.permissions.some((permission) => permission.allUsers), consentedUsers: app.consentedUsers,
    lastSignIn: app.lastSignIn, change: change === "new" || change === "changed" ? change : null,
  };
}

/** Builds the apps and findings of `scanId` and returns the summary the scan row keeps. */
export async function analyseScan(input: AnalysisInput): Promise<Omit<ScanSummary, "pages" | "requests" | "throttled" | "restarts" | "resumes">> {
  const { sql, scanId, tenantId } = input;
  const ctx = { now: input.now, unusedAfterDays: input.unusedAfterDays };
  await sql.query(`DELETE FROM "InventoryFinding" WHERE "scanId" = $1::uuid`, [scanId]);
  await sql.query(`DELETE FROM "InventoryApp" WHERE "scanId" = $1::uuid`, [scanId]);

  const previous = await previousCompletedScan(sql, tenantId, scanId);
  const changes = await consentChanges(sql, scanId, previous?.id ?? null);
  const changedIds = [...changes.byApp].filter(([, change]) => change !== "gone").map(([id]) => id);
  const appIdOf = new Map<string, string>();
  for (const sps of await inChunks(changedIds, (chunk) => servicePrincipalsByIds(sql, scanId, chunk))) for (const sp of sps) appIdOf.set(sp.id.toLowerCase(), sp.appId);
  const outside = previous ? await changedOutsidePortal(sql, { tenantId, since: previous.startedAt, changes, appIdOf }) : new Set<string>();

  const resources = await loadResources(sql, scanId);
  const clients = (
    await sql.query<{ id: string }>(
      `SELECT DISTINCT client::text AS id FROM (
         SELECT "clientId" AS client FROM "InventoryGrant" WHERE "scanId" = $1::uuid
         UNION SELECT "principalId" FROM "InventoryAssignment" WHERE "scanId" = $1::uuid AND "principalType" = 'ServicePrincipal'
       ) AS c ORDER BY 1`,
      [scanId],
    )
  ).map((row) => row.id);

  let apps = 0;
  let findings = 0;
  // each chunk is read by key range (index range scans), and built and written while the next one is read
  const chunks: [string, string][] = [];
  for (let start = 0; start < clients.length; start += CHUNK) {
    const chunk = clients.slice(start, start + CHUNK);
    chunks.push([chunk[0] ?? "", chunk[chunk.length - 1] ?? ""]);
  }
  const writes = new Writes();
  let next = chunks[0] ? readChunk(sql, scanId, chunks[0]) : null;
  for (let i = 0; next; i += 1) {
    const { sps, grants, assignments, lastSignInOf } = await next;
    const following = chunks[i + 1];
    next = following ? readChunk(sql, scanId, following) : null;
    next?.catch(() => undefined); // judged when awaited
    const grantsOf = groupBy(grants, (grant) => grant.clientId);
    const assignmentsOf = groupBy(assignments, (assignment) => assignment.principalId);
    // a grant whose client is in no listing and unknown to getByIds belongs to a deleted app: Graph removes those grants with it
    const built = sps
      .filter((sp) => grantsOf.has(sp.id.toLowerCase()) || assignmentsOf.has(sp.id.toLowerCase()))
      .map((sp) => buildInventoryApp({
        sp, grants: grantsOf.get(sp.id.toLowerCase()) ?? [], assignments: assignmentsOf.get(sp.id.toLowerCase()) ?? [], resources, tenantId, lastSignIn: lastSignInOf.get(sp.id.toLowerCase()) ?? null,
      }));
    const rows = built.map((app) => appRow(app, changes.byApp.get(app.servicePrincipalId), ctx));
    // kind, severity and key only: the sentences and revoke selection are derived when read (findingWords)
    const found: StoredFinding[] = storedFindingsFor(built, { ...ctx, grantedOutsidePortal: outside });
    // written in slices of WRITE_ROWS (FINDING_WRITE_ROWS), at most WRITES_IN_FLIGHT at once, while the next chunk is built
    for (let at = 0; at < rows.length; at += WRITE_ROWS) await writes.add(sql.query(APP_INSERT, [scanId, ...columnArrays(APP_COLUMNS, rows.slice(at, at + WRITE_ROWS))]));
    for (let at = 0; at < found.length; at += FINDING_WRITE_ROWS) {
      await writes.add(sql.query(FINDING_INSERT, [scanId, ...columnArrays(FINDING_COLUMNS, found.slice(at, at + FINDING_WRITE_ROWS))]));
    }
    apps += rows.length;
    findings += found.length;
  }
  await writes.drain();

  const goneIds = [...changes.byApp].filter(([, change]) => change === "gone").map(([id]) => id);
  const goneApps = previous && goneIds.length > 0
    ? await sql.query<{ servicePrincipalId: string; appId: string; displayName: string }>(
        `SELECT "servicePrincipalId"::text AS "servicePrincipalId", "appId"::text AS "appId", "displayName" FROM "InventoryApp"
         WHERE "scanId" = $1::uuid AND "servicePrincipalId" IN (SELECT value::uuid FROM json_array_elements_text($2::json)) ORDER BY "displayName" LIMIT ${GONE_LISTED}`,
        [previous.id, json(goneIds)],
      )
    : [];
  const counts = (
    await sql.query<{ servicePrincipals: number; grants: number; assignments: number }>(
      `SELECT (SELECT count(*)::int FROM "InventoryServicePrincipal" WHERE "scanId" = $1::uuid) AS "servicePrincipals",
              (SELECT count(*)::int FROM "InventoryGrant" WHERE "scanId" = $1::uuid) AS grants,
              (SELECT count(*)::int FROM "InventoryAssignment" WHERE "scanId" = $1::uuid) AS assignments`,
      [scanId],
    )
  )[0] ?? { servicePrincipals: 0, grants: 0, assignments: 0 };
  const tally = (kind: AppChange) => [...changes.byApp.values()].filter((change) => change === kind).length;
  return {
    ...counts,
    apps,
    findings,
    analysedAt: input.now.toISOString(),
    changes: { previousScanId: previous?.id ?? null, new: tally("new"), changed: tally("changed"), gone: tally("gone"), goneApps, outsidePortal: outside.size },
  };
}

/** One chunk's service principals, grants and application permissions: clients from `lo` to `hi` (uuid order). */
async function readChunk(sql: AuditSql, scanId: string, [lo, hi]: [string, string]) {
  const range = [scanId, lo, hi];
  const [sps, grants, assignments] = await Promise.all([
    // each app's last sign-in from the sign-in activity report (by appId), none when the report had no row for it
    sql.query<{ data: ScannedServicePrincipal; lastSignIn: string | null }>(
      `SELECT sp.data, to_char(si."lastSignIn" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "lastSignIn" FROM "InventoryServicePrincipal" sp
       LEFT JOIN "InventorySignIn" si ON si."scanId" = sp."scanId" AND si."appId" = sp."appId"
       WHERE sp."scanId" = $1::uuid AND sp.id BETWEEN $2::uuid AND $3::uuid`,
      range,
    ),
    sql.query<ScannedDelegatedGrant>(
      `SELECT id, "clientId"::text AS "clientId", "resourceId"::text AS "resourceId", "consentType", "principalId"::text AS "principalId", scope
       FROM "InventoryGrant" WHERE "scanId" = $1::uuid AND "clientId" BETWEEN $2::uuid AND $3::uuid`,
      range,
    ),
    sql.query<ScannedAppRoleAssignment>(
      `SELECT id, "principalId"::text AS "principalId", "principalType", "resourceId"::text AS "resourceId", "appRoleId"::text AS "appRoleId", "createdDateTime"::text AS "createdDateTime"
       FROM "InventoryAssignment" WHERE "scanId" = $1::uuid AND "principalType" = 'ServicePrincipal' AND "principalId" BETWEEN $2::uuid AND $3::uuid`,
      range,
    ),
  ]);
  const lastSignInOf = new Map(sps.flatMap((row) => (row.lastSignIn ? [[row.data.id.toLowerCase(), row.lastSignIn] as const] : [])));
  return { sps: sps.map((row) => row.data), grants, assignments, lastSignInOf };
}

const WRITE_ROWS = 500;
/** A finding row is ~100 bytes (its words are derived when read): a chunk's ~5,000 findings go in two or three statements. */
const FINDING_WRITE_ROWS = 2_500;
const WRITES_IN_FLIGHT = 2;

/** Statements written without waiting for each, at most WRITES_IN_FLIGHT at once; the first failure is thrown. */
class Writes {
  #inFlight = new Set<Promise<unknown>>();
  #failure: unknown = null;

  async add(write: Promise<unknown>): Promise<void> {
    const tracked = write.then(
      () => undefined,
      (error: unknown) => { this.#failure ??= error; },
    ).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
    while (this.#inFlight.size >= WRITES_IN_FLIGHT) await Promise.race(this.#inFlight);
    if (this.#failure) throw this.#failure;
  }

  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
    if (this.#failure) throw this.#failure;
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item).toLowerCase();
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Raw rows are kept for the newest two completed scans (the next diff needs the previous one's); apps and
 * findings for the newest KEEP_SCANS, so the pages can still open a recent scan. Older scans go entirely.
 */
const KEEP_SCANS = 10;

export async function pruneOldScans(sql: AuditSql, tenantId: string): Promise<void> {
  const rows = await sql.query<{ id: string; status: string }>(
    `SELECT id::text, status FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status <> 'running' ORDER BY "startedAt" DESC`,
    [tenantId],
  );
  const keepRaw = new Set(rows.filter((row) => row.status === "completed").slice(0, 2).map((row) => row.id));
  const dropRaw = json(rows.filter((row) => !keepRaw.has(row.id)).map((row) => row.id));
  const dropAll = json(rows.slice(KEEP_SCANS).map((row) => row.id));
  for (const table of ["InventoryServicePrincipal", "InventoryGrant", "InventoryAssignment", "InventorySignIn"]) {
    await sql.query(`DELETE FROM "${table}" WHERE "scanId" IN (SELECT value::uuid FROM json_array_elements_text($1::json))`, [dropRaw]);
  }
  for (const table of ["InventoryApp", "InventoryFinding", "InventoryScan"]) {
    await sql.query(`DELETE FROM "${table}" WHERE ${table === "InventoryScan" ? "id" : `"scanId"`} IN (SELECT value::uuid FROM json_array_elements_text($1::json))`, [dropAll]);
  }
}
