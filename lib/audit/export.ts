import type { AuditRecord } from "./canonical";
import type { AuditFilter } from "./filters";
import { iterateRowChunks } from "./query";
import { recordOf, type TextRow } from "./rows";
import type { AuditSql } from "./sql";

export type ExportFormat = "csv" | "jsonl";

export const CSV_COLUMNS = [
  "seq", "occurredAt", "source", "externalId", "correlationId", "tenantId", "actorOid", "actorUpn", "actorName", "actorRoles",
  "action", "targetType", "targetAppId", "targetId", "targetName", "before", "after", "justification", "outcome",
  "graphRequestIds", "clientIp", "userAgent", "prevHash", "hash",
] as const;

// Cells that need neither quoting nor an apostrophe (most of them) are returned as they are.
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n]/;

/**
 * One CSV cell (RFC 4180 quoting). Cells a spreadsheet would run as a formula — starting with = + - @,
 * tab or carriage return — get a leading apostrophe (S9, OWASP "CSV injection").
 */
export function csvCell(value: string | null): string {
  if (value === null || value === "") return "";
  if (!NEEDS_CARE.test(value)) return value;
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function cellText(record: AuditRecord, column: (typeof CSV_COLUMNS)[number]): string | null {
  const value = record[column];
  if (value === null || value === undefined) return null;
  if (column === "before" || column === "after") return JSON.stringify(value);
  if (Array.isArray(value)) return value.join(" ");
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function csvLine(record: AuditRecord): string {
  return `${CSV_COLUMNS.map((column) => csvCell(cellText(record, column))).join(",")}\r\n`;
}

export function jsonLine(record: AuditRecord): string {
  return `${JSON.stringify({ ...record, seq: record.seq.toString(), occurredAt: record.occurredAt.toISOString() })}\n`;
}

const words = (json: string | null) => (json === null ? null : (JSON.parse(json) as string[]).join(" "));
// jsonb prints `{"a": 1}`; the export keeps the compact form a parsed value would give.
const compact = (json: string | null) => {
  const value: unknown = json === null ? null : JSON.parse(json);
  return value === null ? null : JSON.stringify(value);
};

/** csvLine() of a row read as text, without building the record (the export's hot path). */
export function csvLineOfRow(row: TextRow): string {
  return `${[
    row.seq, row.occurredAt, row.source, row.externalId, row.correlationId, row.tenantId, row.actorOid, row.actorUpn, row.actorName,
    words(row.actorRoles), row.action, row.targetType, row.targetAppId, row.targetId, row.targetName, compact(row.before), compact(row.after),
    row.justification, row.outcome, words(row.graphRequestIds), row.clientIp, row.userAgent, row.prevHash.trim(), row.hash.trim(),
  ].map(csvCell).join(",")}\r\n`;
}

export function jsonLineOfRow(row: TextRow): string {
  return `${JSON.stringify({ ...recordOf(row), seq: row.seq, occurredAt: row.occurredAt })}\n`;
}

/**
 * The filtered events as CSV or JSON Lines, streamed: rows are read in keyset chunks and written as
 * they come, so a million events never sit in memory. Pull-based: the database is read only as fast
 * as the client downloads.
 */
export function exportStream(sql: AuditSql, filter: AuditFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = iterateRowChunks(sql, filter);
  const line = format === "csv" ? csvLineOfRow : jsonLineOfRow;
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        let text = "";
        if (!headerSent) {
          text = `${CSV_COLUMNS.join(",")}\r\n`;
          headerSent = true;
        }
        if (!next.done) for (const row of next.value) text += line(row);
        if (text) controller.enqueue(encoder.encode(text));
        if (next.done) controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  }, { highWaterMark: 2 });
}
