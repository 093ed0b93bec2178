import { filterSql, type AuditFilter } from "./filters";
import { iterateRowChunks } from "./query";
import { recordOf, type TextRow } from "./rows";
import { inlineParameters, type AuditSql } from "./sql";

export type ExportFormat = "csv" | "jsonl";

export const CSV_COLUMNS = [
  "seq", "occurredAt", "source", "externalId", "correlationId", "tenantId", "actorOid", "actorUpn", "actorName", "actorRoles",
  "action", "targetType", "targetAppId", "targetId", "targetName", "before", "after", "justification", "outcome",
  "graphRequestIds", "clientIp", "userAgent", "prevHash", "hash",
] as const;

/**
 * Each CSV column as SQL: the database writes the CSV itself (COPY … FORMAT csv quotes what needs
 * quoting), the fastest way to a million lines. Arrays are space-separated, before/after the JSON as
 * stored. Times are UTC as "2026-01-31 14:05:09.123" (fractional digits only as needed; the ISO
 * DateStyle, PostgreSQL's default, which node-postgres relies on too): the form spreadsheets read as
 * a date and time, and with the database's own output instead of to_char the embedded database
 * writes a million lines a second faster.
 */
const CSV_SQL: Record<(typeof CSV_COLUMNS)[number], string> = {
  seq: `e.seq`,
  occurredAt: `e."occurredAt" AT TIME ZONE 'UTC'`,
  source: `e.source`,
  externalId: `e."externalId"`,
  correlationId: `e."correlationId"`,
  tenantId: `e."tenantId"`,
  actorOid: `e."actorOid"`,
  actorUpn: `e."actorUpn"`,
  actorName: `e."actorName"`,
  actorRoles: `array_to_string(e."actorRoles", ' ')`,
  action: `e.action`,
  targetType: `e."targetType"`,
  targetAppId: `e."targetAppId"`,
  targetId: `e."targetId"`,
  targetName: `e."targetName"`,
  before: `e.before::text`,
  after: `e.after::text`,
  justification: `e.justification`,
  outcome: `e.outcome`,
  graphRequestIds: `array_to_string(e."graphRequestIds", ' ')`,
  clientIp: `e."clientIp"`,
  userAgent: `e."userAgent"`,
  prevHash: `e."prevHash"`,
  hash: `e.hash`,
};
const CSV_SELECT = CSV_COLUMNS.map((column) => `${CSV_SQL[column]} AS "${column}"`).join(", ");

// Bytes a spreadsheet reads as the start of a formula: = + - @ tab CR.
const FORMULA_START = new Uint8Array(256);
for (const c of "=+-@\t\r") FORMULA_START[c.charCodeAt(0)] = 1;

/**
 * S9 (OWASP "CSV injection"): every cell a spreadsheet would run as a formula — starting with
 * = + - @, tab or carriage return — gets a leading apostrophe, inside the quotes of a quoted cell.
 * Works on CSV as PostgreSQL's COPY writes it (a cell is quoted when it holds a comma, quote or line
 * break; quotes inside are doubled), in one pass in the portal while the database writes the next
 * chunk: the same check per cell in SQL made the database's share a third slower. Returns `csv`
 * itself when no cell needs it.
 */
export function neutralizeFormulas(csv: Buffer): Buffer {
  const at: number[] = [];
  const n = csv.length;
  const next = (byte: number, from: number) => {
    const found = csv.indexOf(byte, from);
    return found < 0 ? n : found;
  };
  // Cell by cell with indexOf (native search), not byte by byte: twice as fast at a million lines.
  let lineBreak = -1;
  let i = 0;
  while (i < n) {
    // i is at the first byte of a cell.
    if (csv[i] === 0x22) {
      if (FORMULA_START[csv[i + 1] ?? 0]) at.push(i + 1);
      let j = i + 1;
      for (;;) {
        j = csv.indexOf(0x22, j);
        if (j < 0) return insertApostrophes(csv, at); // unterminated: nothing after it is a cell start
        if (csv[j + 1] !== 0x22) break;
        j += 2; // a doubled quote inside the cell
      }
      i = j + 2; // past the closing quote and the comma or line break after it
    } else {
      // An unquoted cell holds no comma, quote or line break: it ends at the nearer of the next two.
      if (FORMULA_START[csv[i]!]) at.push(i);
      if (lineBreak < i) lineBreak = next(0x0a, i);
      i = Math.min(next(0x2c, i), lineBreak) + 1;
    }
  }
  return insertApostrophes(csv, at);
}

function insertApostrophes(csv: Buffer, at: readonly number[]): Buffer {
  if (at.length === 0) return csv;
  const parts: Buffer[] = [];
  let from = 0;
  for (const position of at) {
    parts.push(csv.subarray(from, position), APOSTROPHE);
    from = position;
  }
  parts.push(csv.subarray(from));
  return Buffer.concat(parts, csv.length + at.length);
}
const APOSTROPHE = Buffer.from("'");

/**
 * The (occurredAt, seq) of a CSV chunk's last line, the time marked UTC: the next chunk's keyset
 * cursor. Scans back from the end to the line break that starts the last record, outside quotes
 * (each quote toggles; a doubled one toggles twice). Its first two cells, seq and the time, are never
 * quoted.
 */
export function lastKeyOf(csv: Buffer): { seq: string; occurredAt: string } {
  let inQuotes = false;
  let start = 0;
  for (let i = csv.length - 2; i >= 0; i -= 1) {
    const byte = csv[i];
    if (byte === 0x22) inQuotes = !inQuotes;
    else if (byte === 0x0a && !inQuotes) {
      start = i + 1;
      break;
    }
  }
  const match = /^(\d+),(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?),/.exec(csv.subarray(start, start + 64).toString("latin1"));
  if (!match) throw new Error("the export could not find where its last chunk ended");
  return { seq: match[1]!, occurredAt: `${match[2]!}Z` };
}

/**
 * Every matching event as CSV, newest first by (occurredAt, seq): keyset chunks of `chunk` lines,
 * each written by the database (COPY), the first with the header line, formulas neutralized (S9).
 */
export async function* csvChunks(sql: AuditSql, filter: AuditFilter, chunk = 20_000): AsyncGenerator<Buffer> {
  const copy = (after: { seq: string; occurredAt: string } | undefined) => {
    const { where, params } = filterSql(filter);
    let keyset = "";
    if (after) {
      params.push(after.occurredAt, after.seq);
      keyset = ` AND (e."occurredAt", e.seq) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`;
    }
    const select = `SELECT ${CSV_SELECT} FROM "AuditEvent" e WHERE ${inlineParameters(`${where}${keyset}`, params)} ORDER BY e."occurredAt" DESC, e.seq DESC LIMIT ${Math.floor(chunk)}`;
    return sql.copyOut(`COPY (${select}) TO STDOUT (FORMAT csv${after ? "" : ", HEADER"})`);
  };
  let pending = copy(undefined);
  for (;;) {
    const { data, rows } = await pending;
    // One chunk ahead at most: the database writes the next while this one is sent.
    if (rows === chunk) {
      pending = copy(lastKeyOf(data));
      pending.catch(() => undefined); // awaited on the next turn; no unhandled rejection if the reader stops first
    }
    yield neutralizeFormulas(data);
    if (rows < chunk) return;
  }
}

export function jsonLineOfRow(row: TextRow): string {
  return `${JSON.stringify({ ...recordOf(row), seq: row.seq, occurredAt: row.occurredAt })}\n`;
}

async function* jsonLineChunks(sql: AuditSql, filter: AuditFilter): AsyncGenerator<Buffer> {
  for await (const rows of iterateRowChunks(sql, filter)) {
    let text = "";
    for (const row of rows) text += jsonLineOfRow(row);
    yield Buffer.from(text);
  }
}

/**
 * The filtered events as CSV or JSON Lines, streamed chunk by chunk, so a million events never sit
 * in memory. Pull-based: the database is read only as fast as the client downloads, and no
 * connection is held while the client is slow.
 */
export function exportStream(sql: AuditSql, filter: AuditFilter, format: ExportFormat): ReadableStream<Uint8Array> {
  return pullStream(format === "csv" ? csvChunks(sql, filter) : jsonLineChunks(sql, filter));
}

/** A download read from `chunks` only as fast as the client takes it (the audit and inventory exports). */
export function pullStream(chunks: AsyncGenerator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  }, { highWaterMark: 2 });
}
