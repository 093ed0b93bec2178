import "server-only";
import { neutralizeFormulas } from "@/lib/audit/export";
import type { FindingFilter, InventoryFilter } from "./filters";
import { iterateFindings, iterateInventoryApps, type FindingRow, type InventoryRow } from "./query";

export type InventoryExportFormat = "csv" | "json";

export const APP_COLUMNS = [
  "appId", "servicePrincipalId", "displayName", "publisherName", "verifiedPublisher", "firstParty", "riskLevel", "riskScore", "riskSummary",
  "permissionCount", "tenantWideScopes", "applicationPermissions", "allUsers", "consentedUsers", "lastSignIn", "change",
] as const;

export const FINDING_COLUMNS = ["key", "kind", "severity", "appId", "servicePrincipalId", "appName", "title", "detail", "revokeScopes", "revokeAppRoles", "revokeUsers"] as const;

type Cell = string | number | boolean | null;

function appCells(row: InventoryRow): Record<(typeof APP_COLUMNS)[number], Cell> {
  return {
    appId: row.appId,
    servicePrincipalId: row.servicePrincipalId,
    displayName: row.displayName,
    publisherName: row.publisherName,
    verifiedPublisher: row.verifiedPublisher,
    firstParty: row.firstParty,
    riskLevel: row.riskLevel,
    riskScore: row.riskScore,
    riskSummary: row.riskSummary,
    permissionCount: row.permissionCount,
    tenantWideScopes: row.revoke.s.join(" "),
    applicationPermissions: row.revoke.r.join(" "),
    allUsers: row.allUsers,
    consentedUsers: row.consentedUsers,
    lastSignIn: row.lastSignIn,
    change: row.change,
  };
}

function findingCells(row: FindingRow): Record<(typeof FINDING_COLUMNS)[number], Cell> {
  return {
    key: row.key,
    kind: row.kind,
    severity: row.severity,
    appId: row.appId,
    servicePrincipalId: row.servicePrincipalId,
    appName: row.appName,
    title: row.title,
    detail: row.detail,
    revokeScopes: row.revoke.s.join(" "),
    revokeAppRoles: row.revoke.r.join(" "),
    revokeUsers: row.revoke.u.join(" "),
  };
}

/** RFC 4180: a cell holding a comma, quote or line break is quoted, quotes inside doubled. */
function csvCell(value: Cell): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Whole lines of CSV, formula cells neutralized by the audit export's own guard (S9). */
function csvLines(records: Record<string, Cell>[], columns: readonly string[]): Buffer {
  let text = "";
  for (const record of records) text += `${columns.map((column) => csvCell(record[column] ?? null)).join(",")}\n`;
  return neutralizeFormulas(Buffer.from(text, "utf8"));
}

async function* csvChunks<R>(pages: AsyncGenerator<R[]>, columns: readonly string[], cells: (row: R) => Record<string, Cell>): AsyncGenerator<Buffer> {
  yield Buffer.from(`${columns.join(",")}\n`);
  for await (const rows of pages) yield csvLines(rows.map(cells), columns);
}

/** A JSON array, one object per line, written page by page so a large tenant never sits in memory. */
async function* jsonChunks<R>(pages: AsyncGenerator<R[]>, cells: (row: R) => Record<string, Cell>): AsyncGenerator<Buffer> {
  let first = true;
  yield Buffer.from("[");
  for await (const rows of pages) {
    let text = "";
    for (const row of rows) {
      text += `${first ? "\n" : ",\n"}${JSON.stringify(cells(row))}`;
      first = false;
    }
    yield Buffer.from(text);
  }
  yield Buffer.from("\n]\n");
}

export function appExportChunks(scanId: string, filter: InventoryFilter, format: InventoryExportFormat): AsyncGenerator<Buffer> {
  const pages = iterateInventoryApps(scanId, filter);
  return format === "csv" ? csvChunks(pages, APP_COLUMNS, appCells) : jsonChunks(pages, appCells);
}

export function findingExportChunks(scanId: string, filter: FindingFilter, format: InventoryExportFormat): AsyncGenerator<Buffer> {
  const pages = iterateFindings(scanId, filter);
  return format === "csv" ? csvChunks(pages, FINDING_COLUMNS, findingCells) : jsonChunks(pages, findingCells);
}

