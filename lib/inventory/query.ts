import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { findingWords, permissionOfKey, revokeSelection } from "./findings";
import { sortOf, type FindingFilter, type InventoryFilter, type SortDirection, type SortKey } from "./filters";
import type { FindingKind, HeldPermission } from "./types";
import { FINDING_KIND_LABELS } from "./vocabulary";

/**
 * Keyset-paged reads of one completed scan's apps and findings for the inventory pages and exports.
 * The database sorts, filters and pages (never the browser), so a tenant of 100k apps reads one page
 * at a time: each page continues strictly after the last row of the previous one, on (sort value, id).
 */

type Cursor = { v: string | number | null; id: string };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** Null for a cursor that is not one of ours (a hand-edited link): the caller starts from the first page. */
export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof value !== "object" || value === null) return null;
    const { v, id } = value as Record<string, unknown>;
    if (typeof id !== "string" || id.length > 300) return null;
    if (!(v === null || typeof v === "number" || (typeof v === "string" && v.length <= 300))) return null;
    return { v, id };
  } catch {
    return null;
  }
}

const FIELD: Record<SortKey, "riskScore" | "displayName" | "consentedUsers" | "lastSignIn"> = {
  risk: "riskScore",
  name: "displayName",
  users: "consentedUsers",
  signin: "lastSignIn",
};

/** Filters and search as a Prisma condition on one scan's apps. */
export function appWhere(scanId: string, filter: InventoryFilter): Prisma.InventoryAppWhereInput {
  const and: Prisma.InventoryAppWhereInput[] = [{ scanId }];
  if (filter.level) and.push({ riskLevel: filter.level });
  if (filter.verified) and.push({ verifiedPublisher: filter.verified === "yes" ? { not: null } : null });
  if (filter.consent === "tenant-wide") and.push({ allUsers: true });
  if (filter.consent === "user") and.push({ consentedUsers: { gt: 0 } });
  // the permissions' JSON text holds an application permission (as JSON.stringify writes it, or as
  // jsonb printed it in scans stored before the column became text)
  if (filter.consent === "application") and.push({ OR: [{ permissions: { contains: '"kind":"application"' } }, { permissions: { contains: '"kind": "application"' } }] });
  if (filter.change === "any") and.push({ change: { not: null } });
  else if (filter.change) and.push({ change: filter.change });
  if (filter.q) {
    const q = filter.q;
    const guidLike = /^[0-9a-f-]{8,36}$/i.test(q);
    and.push({
      OR: [
        { displayName: { contains: q, mode: "insensitive" } },
        { publisherName: { contains: q, mode: "insensitive" } },
        ...(guidLike && q.length === 36 ? [{ appId: q.toLowerCase() }] : []),
      ],
    });
  }
  return { AND: and };
}

/**
 * Rows strictly after `cursor` in the order (field dir, servicePrincipalId asc). Last sign-in may be
 * empty (never signed in): empty counts as the oldest, first when ascending and last when descending.
 */
function after(field: (typeof FIELD)[SortKey], dir: SortDirection, cursor: Cursor): Prisma.InventoryAppWhereInput {
  const idAfter = { servicePrincipalId: { gt: cursor.id } };
  const value = field === "lastSignIn" && cursor.v !== null ? new Date(String(cursor.v)) : cursor.v;
  if (value === null) {
    // Only last sign-in is nullable: among the empty ones, by id; ascending, every dated row follows.
    return dir === "asc" ? { OR: [{ lastSignIn: null, ...idAfter }, { lastSignIn: { not: null } }] } : { lastSignIn: null, ...idAfter };
  }
  const beyond = { [field]: dir === "asc" ? { gt: value } : { lt: value } } as Prisma.InventoryAppWhereInput;
  const same = { [field]: value, ...idAfter } as Prisma.InventoryAppWhereInput;
  return { OR: [beyond, same, ...(field === "lastSignIn" && dir === "desc" ? [{ lastSignIn: null }] : [])] };
}

function orderBy(field: (typeof FIELD)[SortKey], dir: SortDirection): Prisma.InventoryAppOrderByWithRelationInput[] {
  const first = field === "lastSignIn" ? { lastSignIn: { sort: dir, nulls: dir === "asc" ? ("first" as const) : ("last" as const) } } : { [field]: dir };
  return [first, { servicePrincipalId: "asc" }];
}

export type InventoryRow = {
  servicePrincipalId: string;
  appId: string;
  displayName: string;
  publisherName: string | null;
  verifiedPublisher: string | null;
  firstParty: boolean;
  riskLevel: string;
  riskScore: number;
  riskSummary: string;
  permissionCount: number;
  /** the riskiest few, "Mail.ReadWrite (Microsoft Graph)" */
  topPermissions: string[];
  allUsers: boolean;
  consentedUsers: number;
  lastSignIn: string | null;
  change: string | null;
  /** everything it holds as the revoke wizard selects it (s=<API appId>|<scope>, r=<API appId>|<role>, u=<user id>) */
  revoke: { s: string[]; r: string[]; u: string[] };
};

const RISK_RANK: Record<string, number> = { Critical: 0, High: 1, Medium: 2, Low: 3, Unrated: 4 };

/** An app row's permissions (JSON text); none when the text is not a JSON array. */
export function permissionsOf(text: string): HeldPermission[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as HeldPermission[]) : [];
  } catch {
    return [];
  }
}

export function rowOf(app: Prisma.InventoryAppGetPayload<object>): InventoryRow {
  const permissions = permissionsOf(app.permissions);
  const ranked = [...permissions].sort((a, b) => (RISK_RANK[a.risk] ?? 9) - (RISK_RANK[b.risk] ?? 9));
  return {
    servicePrincipalId: app.servicePrincipalId,
    appId: app.appId,
    displayName: app.displayName,
    publisherName: app.publisherName,
    verifiedPublisher: app.verifiedPublisher,
    firstParty: app.firstParty,
    riskLevel: app.riskLevel,
    riskScore: app.riskScore,
    riskSummary: app.riskSummary,
    permissionCount: app.permissionCount,
    topPermissions: ranked.slice(0, 3).map((p) => `${p.value} (${p.resourceName})`),
    allUsers: app.allUsers,
    consentedUsers: app.consentedUsers,
    lastSignIn: app.lastSignIn?.toISOString() ?? null,
    change: app.change,
    revoke: revokeSelection(permissions),
  };
}

export type Page<T> = { rows: T[]; nextCursor: string | null; total: number };

/** One page of apps: sorted, filtered and searched by the database; `total` counts every match. */
export async function listInventoryApps(scanId: string, filter: InventoryFilter, options: { cursor?: string; limit?: number } = {}): Promise<Page<InventoryRow>> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const { sort, dir } = sortOf(filter);
  const field = FIELD[sort];
  const where = appWhere(scanId, filter);
  const cursor = decodeCursor(options.cursor);
  const [apps, total] = await Promise.all([
    db().inventoryApp.findMany({ where: cursor ? { AND: [where, after(field, dir, cursor)] } : where, orderBy: orderBy(field, dir), take: limit + 1 }),
    db().inventoryApp.count({ where }),
  ]);
  const page = apps.slice(0, limit);
  const last = page.at(-1);
  const sortValue = (app: (typeof apps)[number]) => (field === "lastSignIn" ? (app.lastSignIn?.toISOString() ?? null) : app[field]);
  return { rows: page.map(rowOf), nextCursor: apps.length > limit && last ? encodeCursor({ v: sortValue(last), id: last.servicePrincipalId }) : null, total };
}

/** Every matching app in the page order, a page at a time (the export streams these). */
export async function* iterateInventoryApps(scanId: string, filter: InventoryFilter, pageSize = 1000): AsyncGenerator<InventoryRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listInventoryApps(scanId, filter, { cursor, limit: pageSize });
    if (page.rows.length > 0) yield page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

export type FindingRow = {
  key: string;
  kind: FindingKind;
  severity: string;
  servicePrincipalId: string;
  appId: string;
  appName: string;
  title: string;
  detail: string;
  revoke: { s: string[]; r: string[]; u: string[] };
};

type StoredFindingRow = Prisma.InventoryFindingGetPayload<object>;

/** When the scan judged the tenant: its analysis time, or (older scans) when it finished. */
function analysedAtOf(scan: { summary: unknown; finishedAt: Date | null; startedAt: Date } | null): Date {
  const at = (scan?.summary as Record<string, unknown> | null)?.analysedAt;
  const parsed = typeof at === "string" ? new Date(at) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : (scan?.finishedAt ?? scan?.startedAt ?? new Date());
}

/**
 * The stored findings with their sentences and revoke selection, derived from each one's app row of the
 * same scan (findingWords): one read of the page's apps and the scan's analysis time.
 */
async function withWords(scanId: string, rows: readonly StoredFindingRow[]): Promise<FindingRow[]> {
  if (rows.length === 0) return [];
  const [scan, apps] = await Promise.all([
    db().inventoryScan.findUnique({ where: { id: scanId }, select: { summary: true, finishedAt: true, startedAt: true } }),
    db().inventoryApp.findMany({
      where: { scanId, servicePrincipalId: { in: [...new Set(rows.map((row) => row.servicePrincipalId))] } },
      select: { servicePrincipalId: true, displayName: true, publisherName: true, permissions: true, lastSignIn: true, riskSummary: true },
    }),
  ]);
  const now = analysedAtOf(scan);
  const appOf = new Map(apps.map((app) => [app.servicePrincipalId, { ...app, permissions: permissionsOf(app.permissions), lastSignIn: app.lastSignIn?.toISOString() ?? null }]));
  return rows.map((row) => {
    const kind = row.kind as FindingKind;
    const app = appOf.get(row.servicePrincipalId);
    // the analysis writes an app's row with its findings, so an app is always there; if a row ever lacks
    // one, the finding still shows what it is about, with nothing preselected to revoke
    const words = app ? findingWords(kind, app, permissionOfKey(row.key, app.permissions), now) : null;
    return {
      key: row.key,
      kind,
      severity: row.severity,
      servicePrincipalId: row.servicePrincipalId,
      appId: row.appId,
      appName: row.appName,
      ...(words ?? { title: `${row.appName}: ${FINDING_KIND_LABELS[kind] ?? row.kind}.`, detail: "Open the app to see its permissions.", revoke: { s: [], r: [], u: [] } }),
    };
  });
}

export function findingWhere(scanId: string, filter: FindingFilter): Prisma.InventoryFindingWhereInput {
  const and: Prisma.InventoryFindingWhereInput[] = [{ scanId }];
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.severity) and.push({ severity: filter.severity });
  if (filter.q) {
    const q = filter.q;
    // the key names the kind and the permission (API appId, kind, scope or role): a search for "Mail.Read" finds it
    and.push({ OR: [{ appName: { contains: q, mode: "insensitive" } }, { key: { contains: q, mode: "insensitive" } }, ...(q.length === 36 && /^[0-9a-f-]+$/i.test(q) ? [{ appId: q.toLowerCase() }] : [])] });
  }
  return { AND: and };
}

/**
 * One page of findings, by key: keys start with the kind, so a page lists one kind's findings
 * together, each kind's apps side by side.
 */
export async function listFindings(scanId: string, filter: FindingFilter, options: { cursor?: string; limit?: number } = {}): Promise<Page<FindingRow>> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const where = findingWhere(scanId, filter);
  const cursor = decodeCursor(options.cursor);
  const [rows, total] = await Promise.all([
    db().inventoryFinding.findMany({ where: cursor ? { AND: [where, { key: { gt: cursor.id } }] } : where, orderBy: { key: "asc" }, take: limit + 1 }),
    db().inventoryFinding.count({ where }),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: await withWords(scanId, page), nextCursor: rows.length > limit && last ? encodeCursor({ v: null, id: last.key }) : null, total };
}

export async function* iterateFindings(scanId: string, filter: FindingFilter, pageSize = 1000): AsyncGenerator<FindingRow[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listFindings(scanId, filter, { cursor, limit: pageSize });
    if (page.rows.length > 0) yield page.rows;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** The chosen findings of a scan (bulk revoke), by key, at most `max`. */
export async function findingsByKeys(scanId: string, keys: readonly string[], max = 50): Promise<FindingRow[]> {
  const rows = await db().inventoryFinding.findMany({ where: { scanId, key: { in: keys.slice(0, max) } }, orderBy: { key: "asc" } });
  return withWords(scanId, rows);
}

/** Apps per risk level in a scan (the chart), every level present even at zero. */
export async function appsByRiskLevel(scanId: string): Promise<{ level: string; count: number }[]> {
  const groups = await db().inventoryApp.groupBy({ by: ["riskLevel"], where: { scanId }, _count: { _all: true } });
  const counts = new Map(groups.map((g) => [g.riskLevel, g._count._all]));
  return ["Critical", "High", "Medium", "Low", "Unrated"].map((level) => ({ level, count: counts.get(level) ?? 0 }));
}

/**
 * Consent over time: per completed scan (the newest `scans`, oldest first), the apps with consent and
 * the grants and application permissions the scan read, from each scan's own summary.
 */
export async function grantsOverTime(scans = 12): Promise<{ at: string; apps: number; grants: number }[]> {
  const recent = await db().inventoryScan.findMany({
    where: { tenantId: env().tenant.tenantId, status: "completed" },
    orderBy: { startedAt: "desc" },
    take: scans,
    select: { startedAt: true, finishedAt: true, summary: true },
  });
  const count = (summary: unknown, key: string) => {
    const value = (summary as Record<string, unknown> | null)?.[key];
    return typeof value === "number" ? value : 0;
  };
  return recent.reverse().map((scan) => ({
    at: (scan.finishedAt ?? scan.startedAt).toISOString(),
    apps: count(scan.summary, "apps"),
    grants: count(scan.summary, "grants") + count(scan.summary, "assignments"),
  }));
}

/** The newest scan of this tenant whatever its status (the panel shows a failed scan's error too). */
export async function latestScanId(): Promise<string | null> {
  const scan = await db().inventoryScan.findFirst({ where: { tenantId: env().tenant.tenantId }, orderBy: { startedAt: "desc" }, select: { id: true } });
  return scan?.id ?? null;
}

export async function findingByKey(scanId: string, key: string): Promise<FindingRow | null> {
  const row = await db().inventoryFinding.findUnique({ where: { scanId_key: { scanId, key } } });
  return row ? ((await withWords(scanId, [row]))[0] ?? null) : null;
}

export async function inventoryAppOf(scanId: string, servicePrincipalId: string): Promise<(InventoryRow & { riskFactors: string[] }) | null> {
  const app = await db().inventoryApp.findUnique({ where: { scanId_servicePrincipalId: { scanId, servicePrincipalId } } });
  return app ? { ...rowOf(app), riskFactors: app.riskFactors } : null;
}
