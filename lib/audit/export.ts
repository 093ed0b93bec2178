import type { AuditRecord } from "./canonical";
import type { AuditFilter } from "./filters";
import { iterateEvents } from "./query";
import type { AuditSql } from "./sql";

export type ExportFormat = "csv" | "jsonl";

export const CSV_COLUMNS = [
  "seq", "occurredAt", "source", "externalId", "correlationId", "tenantId", "actorOid", "actorUpn", "actorName", "actorRoles",
  "action", "targetType", "targetAppId", "targetId", "targetName", "before", "after", "justification", "outcome",
  "graphRequestIds", "clientIp", "userAgent", "prevHash", "hash",
] as const;

/**
 * One CSV cell (RFC 4180 quoting). Cells a spreadsheet would run as a formula — starting with = + - @,
 * tab or carriage return — get a leading apostrophe (S9, OWASP "CSV injection").
 */
export function csvCell(value: string | null): string {
  if (value === null || value === "") return "";
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

/**
 * The filtered events as CSV or JSON Lines, streamed: rows are read in keyset chunks and written as
 * they come, so a million events never sit in memory. Pull-based: the database is read only as fast
 * as the client downloads.
 */
export function exportStream(sql: AuditSql, filter: AuditFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const events = iterateEvents(sql, filter);
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const lines: string[] = [];
        if (!headerSent) {
          lines.push(`${CSV_COLUMNS.join(",")}\r\n`);
          headerSent = true;
        }
        // ~500 rows per enqueue: few, large chunks, but bounded.
        for (let i = 0; i < 500; i += 1) {
          const next = await events.next();
          if (next.done) {
            if (lines.length) controller.enqueue(encoder.encode(lines.join("")));
            controller.close();
            return;
          }
          lines.push(format === "csv" ? csvLine(next.value) : jsonLine(next.value));
        }
        controller.enqueue(encoder.encode(lines.join("")));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await events.return(undefined);
    },
  }, { highWaterMark: 2 });
}
