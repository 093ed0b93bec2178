import { createHmac, hash as digest } from "node:crypto";
import { canonicalEncodingOfRow, encodedColumnsSql, GENESIS_HASH, HASH_FORMAT, sha256Hex, type AuditRecord } from "./canonical";
import type { AuditSql } from "./sql";

export type BreakReason = "altered" | "missing" | "reordered";

export type VerifyResult =
  | { ok: true; count: number; headSeq: string; headHash: string; ms: number }
  | { ok: false; count: number; brokenSeq: string; reason: BreakReason; detail: string; ms: number };

/** A stretch of the chain to check on its own: events `first`..`last`, the first linking to `prevHash`. */
export type RangeTask = { first: string; last: string; prevHash: string | null; chunk: number; expected?: { seq: string; hash: string } };

/** The first problem in a range, as found; verifyChain turns it into a reason. */
export type RangeBreak =
  | { seq: string; kind: "gap"; nextSeq: string | null }
  | { seq: string; kind: "link"; linkedTo: string; contentMatches: boolean }
  | { seq: string; kind: "content" }
  | { seq: string; kind: "head" };

export type RangeResult = { lastHash: string | null; broken: RangeBreak | null };

/** Rows per read: about 7 MB of COPY text at the portal's usual event size. */
const DEFAULT_CHUNK = 10_000;

/**
 * What verification reads of each event, with COPY: its hash format, the columns encoding 2 covers
 * (lib/audit/canonical.ts), and its hash. The database only prints stored columns (the time as UTC
 * ISO), so this costs it about what a bare read of the table does. For encoding 2 the portal hashes the
 * bytes between the first and the last tab as they arrived; for encoding 1 it decodes the same fields
 * into canonicalEncodingOfRow's values.
 */
const COPY_COLUMNS = `e."hashFormat", ${encodedColumnsSql("e")}, e.hash`;
const FIELDS = 25;

const COPY_ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** One field of COPY's text format: `\N` is NULL, backslash escapes as COPY writes them. */
function copyField(text: string): string | null {
  if (text.indexOf("\\") < 0) return text;
  if (text === "\\N") return null;
  return text.replace(/\\([\s\S])/g, (_, c: string) => COPY_ESCAPES[c] ?? c);
}

const ARRAY_SPECIAL = /["\\{}]/;

/**
 * A one-dimensional text[] as PostgreSQL prints it (`{a,"b c",NULL}`), as array_to_json would give it;
 * undefined for anything else (other bounds, more dimensions), which then cannot match its hash.
 */
export function parseTextArray(literal: string | null): (string | null)[] | undefined {
  if (literal === null) return [];
  if (literal[0] !== "{" || literal[literal.length - 1] !== "}") return undefined;
  const inner = literal.slice(1, -1);
  if (inner === "") return [];
  if (!ARRAY_SPECIAL.test(inner)) return inner.split(",").map((item) => (item === "NULL" ? null : item));
  const out: (string | null)[] = [];
  let i = 0;
  for (;;) {
    if (inner[i] === '"') {
      const close = inner.indexOf('"', i + 1);
      const escape = inner.indexOf("\\", i + 1);
      if (close > i && (escape < 0 || escape > close)) {
        // No backslash before the closing quote (the usual case, e.g. a role with spaces): one slice.
        out.push(inner.slice(i + 1, close));
        i = close + 1;
        if (i === inner.length) return out;
        if (inner[i] !== ",") return undefined;
        i += 1;
        continue;
      }
      let item = "";
      i += 1;
      for (;;) {
        const c = inner[i];
        if (c === undefined) return undefined;
        if (c === "\\") {
          item += inner[i + 1] ?? "";
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          item += c;
          i += 1;
        }
      }
      out.push(item);
    } else {
      let end = inner.indexOf(",", i);
      if (end < 0) end = inner.length;
      const item = inner.slice(i, end);
      if (item === "" || ARRAY_SPECIAL.test(item)) return undefined;
      out.push(item === "NULL" ? null : item);
      i = end;
    }
    if (i === inner.length) return out;
    if (inner[i] !== ",") return undefined;
    i += 1;
  }
}

type CheckedLine = { seq: string; contentMatches: boolean; prevHash: string; hash: string };

const TAB = 0x09;
const NEWLINE = 0x0a;
const ENCODING_2 = 0x30 + HASH_FORMAT;

/**
 * One encoding 2 line of COPY_COLUMNS, `2 TAB <seq> TAB <time> TAB <prevHash> TAB … TAB <hash>`, checked
 * in the bytes: SHA-256 of everything between the format and the hash, against the hash. Only the few
 * ASCII fields the chain needs become strings.
 */
function checkEncoding2(data: Buffer, start: number, end: number): CheckedLine {
  const seqEnd = data.indexOf(TAB, start + 2);
  const timeEnd = seqEnd < 0 ? -1 : data.indexOf(TAB, seqEnd + 1);
  const prevEnd = timeEnd < 0 ? -1 : data.indexOf(TAB, timeEnd + 1);
  const hashStart = data.lastIndexOf(TAB, end - 1) + 1;
  if (prevEnd < 0 || prevEnd >= end || hashStart <= prevEnd) {
    return { seq: data.toString("latin1", start + 2, Math.max(start + 2, seqEnd < 0 || seqEnd > end ? end : seqEnd)), contentMatches: false, prevHash: "", hash: "" };
  }
  const hash = data.toString("latin1", hashStart, end).trim();
  return {
    seq: data.toString("latin1", start + 2, seqEnd),
    contentMatches: digest("sha256", data.subarray(start + 2, hashStart - 1), "hex") === hash,
    prevHash: data.toString("latin1", timeEnd + 1, prevEnd).trim(),
    hash,
  };
}

/** One encoding 1 line (or one of an unknown format, which cannot match): canonicalEncodingOfRow() of its decoded fields. */
function checkEncoding1(line: string): CheckedLine {
  const raw = line.split("\t");
  const f: (string | null)[] = raw;
  for (let i = 0; i < raw.length; i += 1) if (raw[i]!.indexOf("\\") >= 0) f[i] = copyField(raw[i]!);
  const seq = f[1] ?? "";
  const prevHash = (f[3] ?? "").trim();
  const hash = (f[24] ?? "").trim();
  const roles = parseTextArray(f[11] ?? null);
  const requestIds = parseTextArray(f[21] ?? null);
  if (f.length !== FIELDS || f[0] !== "1" || !roles || !requestIds) return { seq, contentMatches: false, prevHash, hash };
  const encoding = canonicalEncodingOfRow({
    seq,
    occurredAt: f[2]!,
    prevHash,
    source: f[4]!,
    externalId: f[5]!,
    correlationId: f[6]!,
    tenantId: f[7]!,
    actorOid: f[8]!,
    actorUpn: f[9]!,
    actorName: f[10]!,
    actorRoles: roles,
    action: f[12]!,
    targetType: f[13]!,
    targetAppId: f[14]!,
    targetId: f[15]!,
    targetName: f[16]!,
    before: f[17]!,
    after: f[18]!,
    justification: f[19]!,
    outcome: f[20]!,
    graphRequestIds: requestIds,
    clientIp: f[22]!,
    userAgent: f[23]!,
    hash,
  });
  return { seq, contentMatches: sha256Hex(encoding) === hash, prevHash, hash };
}

/**
 * Rows hashed between two turns of the event loop. The next chunk is already requested while this one
 * is hashed, but its rows reach this process only when the event loop reads the socket: hashing a whole
 * chunk in one go let the database fill the socket's buffer and then wait, so reading and hashing took
 * turns instead of running at once. Yielding every few hundred rows (a few ms) lets the next chunk flow
 * in while this one is hashed, and keeps the portal's event loop responsive too.
 */
const SLICE = 500;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Checks one range: every seq present, every event's content against its hash, every link to the
 * predecessor's stored hash (the first event's against `prevHash`, unless null). Reads with COPY in
 * chunks of `chunk` consecutive sequence numbers, the next one requested while this one is hashed, so
 * memory stays flat and the database only copies stored columns out.
 *
 * Each chunk is bounded by its sequence numbers (`seq BETWEEN a AND b`), not by `seq >= a … LIMIT n`:
 * with the limit form the planner, misjudging how many rows lie past `a` (statistics taken before the
 * newest events, which are exactly the ones the routine check reads), chose a bitmap scan of every row
 * to the end of the range and a top-N sort for every chunk, so the rows read grew with the square of
 * the events (100,000 events in chunks of 2,000: 2.5 million rows read). A bounded chunk reads at most
 * its own rows whatever the plan. Sequence numbers of a valid chain are consecutive; a missing one
 * shows as a short chunk and is reported at its place below.
 */
export async function verifyRange(sql: AuditSql, task: RangeTask): Promise<RangeResult> {
  const last = BigInt(task.last);
  const size = BigInt(Math.max(1, Math.floor(task.chunk)));
  const fetch = (from: bigint) => {
    const to = from + size - 1n < last ? from + size - 1n : last;
    return sql.copyOut(`COPY (SELECT ${COPY_COLUMNS} FROM "AuditEvent" e WHERE e.seq >= ${from} AND e.seq <= ${to} ORDER BY e.seq) TO STDOUT`);
  };
  let expectedSeq = BigInt(task.first);
  let prevHash = task.prevHash;
  let from = expectedSeq;
  let pending = fetch(from);
  for (;;) {
    const { data } = await pending;
    const next = from + size;
    if (next <= last) {
      pending = fetch(next);
      pending.catch(() => undefined); // awaited on the next turn; no unhandled rejection if a break ends the loop first
    }
    let rows = 0;
    for (let start = 0; start < data.length; rows += 1) {
      if (rows > 0 && rows % SLICE === 0) await yieldToIo();
      let end = data.indexOf(NEWLINE, start);
      if (end < 0) end = data.length;
      const row = data[start] === ENCODING_2 && data[start + 1] === TAB ? checkEncoding2(data, start, end) : checkEncoding1(data.toString("utf8", start, end));
      start = end + 1;
      const seq = expectedSeq.toString();
      if (row.seq !== seq) return { lastHash: prevHash, broken: { seq, kind: "gap", nextSeq: row.seq } };
      if (prevHash !== null && row.prevHash !== prevHash) return { lastHash: prevHash, broken: { seq, kind: "link", linkedTo: row.prevHash, contentMatches: row.contentMatches } };
      if (!row.contentMatches) return { lastHash: prevHash, broken: { seq, kind: "content" } };
      if (task.expected?.seq === seq && row.hash !== task.expected.hash) return { lastHash: prevHash, broken: { seq, kind: "head" } };
      prevHash = row.hash;
      expectedSeq += 1n;
    }
    if (next > last) break;
    from = next;
  }
  if (expectedSeq <= last) return { lastHash: prevHash, broken: { seq: expectedSeq.toString(), kind: "gap", nextSeq: null } };
  return { lastHash: prevHash, broken: null };
}

/** Runs range tasks, e.g. in worker threads (lib/audit/verify-parallel.ts); results in task order. */
export type RangeRunner = (tasks: RangeTask[]) => Promise<RangeResult[]>;

/**
 * Recomputes the whole chain as it stands when verification starts, in seq order, and reports the
 * first broken sequence number and why:
 * - missing: a sequence number is absent (a row deleted), or a row links to a predecessor that is gone;
 * - reordered: a row links to a hash that exists elsewhere in the chain (rows moved);
 * - altered: a row's content no longer matches its hash (or its link was rewritten).
 * `expected` (an exported head) also catches rows removed from the end.
 *
 * Each event stores its predecessor's hash, so ranges verify independently: given `runner` and
 * `parts`, the chain is split into that many ranges checked at once, each linked to the stored hash
 * of the event before it. The first break of the first broken range is the first break of the chain,
 * because every range before it verified.
 */
export async function verifyChain(
  sql: AuditSql,
  options: {
    chunk?: number;
    expected?: { seq: string; hash: string };
    runner?: RangeRunner;
    parts?: number;
    /** Start after this event, whose stored hash the caller has checked (a signed head): only later events are read. */
    from?: { seq: string; hash: string };
  } = {},
): Promise<VerifyResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const chunk = options.chunk ?? DEFAULT_CHUNK;
  const base = BigInt(options.from?.seq ?? "0");
  const [top] = await sql.query<{ max: string }>(`SELECT coalesce(max(seq), 0)::text AS max FROM "AuditEvent" WHERE seq > 0`);
  const max = BigInt(top?.max ?? "0");
  const span = max > base ? max - base : 0n;
  const parts = span === 0n ? 0n : BigInt(Math.max(1, Math.min(options.runner ? (options.parts ?? 1) : 1, Number(span))));
  const tasks: RangeTask[] = [];
  for (let i = 0n; i < parts; i += 1n) {
    const first = base + (span * i) / parts + 1n;
    const last = base + (span * (i + 1n)) / parts;
    let prevHash: string | null = options.from?.hash ?? GENESIS_HASH;
    if (first > base + 1n) {
      // Absent predecessor: the range before this one reports the gap first.
      const [row] = await sql.query<{ hash: string }>(`SELECT hash::text AS hash FROM "AuditEvent" WHERE seq = $1::bigint`, [(first - 1n).toString()]);
      prevHash = row ? row.hash.trim() : null;
    }
    tasks.push({ first: first.toString(), last: last.toString(), prevHash, chunk, expected: options.expected });
  }
  let results: RangeResult[];
  if (options.runner && tasks.length > 1) results = await options.runner(tasks);
  else {
    results = [];
    for (const task of tasks) {
      const result = await verifyRange(sql, task);
      results.push(result);
      if (result.broken) break;
    }
  }
  const broken = results.find((result) => result.broken)?.broken;
  if (broken) return explainBreak(sql, broken, ms());
  const headHash = results.at(-1)?.lastHash ?? options.from?.hash ?? GENESIS_HASH;
  if (options.expected && BigInt(options.expected.seq) > max) {
    return { ok: false, count: Number(max), brokenSeq: (max + 1n).toString(), reason: "missing", detail: `the exported head is event ${options.expected.seq}, but the chain ends at ${max}`, ms: ms() };
  }
  return { ok: true, count: Number(max), headSeq: max.toString(), headHash, ms: ms() };
}

/** The reason for a range's first break, in words (looks up where a wrong link points). */
async function explainBreak(sql: AuditSql, broken: RangeBreak, ms: number): Promise<Extract<VerifyResult, { ok: false }>> {
  const fail = (reason: BreakReason, detail: string) => ({ ok: false as const, count: Number(BigInt(broken.seq) - 1n), brokenSeq: broken.seq, reason, detail, ms });
  switch (broken.kind) {
    case "gap": {
      // A gap at the end of a range: the next stored event is in a later range.
      const [next] = broken.nextSeq ? [{ seq: broken.nextSeq }] : await sql.query<{ seq: string | null }>(`SELECT min(seq)::text AS seq FROM "AuditEvent" WHERE seq > $1::bigint`, [broken.seq]);
      return fail("missing", next?.seq ? `sequence number ${broken.seq} is missing (next stored event is ${next.seq})` : `sequence number ${broken.seq} is missing`);
    }
    case "link": {
      const elsewhere = await sql.query<{ seq: string }>(`SELECT seq::text AS seq FROM "AuditEvent" WHERE hash = $1`, [broken.linkedTo]);
      if (elsewhere[0]) return fail("reordered", `event ${broken.seq} links to event ${elsewhere[0].seq}, not to its predecessor`);
      if (broken.contentMatches) return fail("missing", `event ${broken.seq} links to an event that is no longer stored`);
      return fail("altered", `event ${broken.seq} has a rewritten link to its predecessor`);
    }
    case "content":
      return fail("altered", `event ${broken.seq} does not match its hash`);
    case "head":
      return fail("altered", `event ${broken.seq} differs from the exported head`);
  }
}

export type HeadExport = {
  kind: "admin-consent-portal.audit-head";
  seq: string;
  hash: string;
  count: number;
  exportedAt: string;
  /** HMAC-SHA256 over `${kind}\n${seq}\n${hash}\n${exportedAt}`, hex; absent when no key is configured. */
  signature?: { alg: "HMAC-SHA256"; keyId: string; value: string };
};

const headPayload = (head: Pick<HeadExport, "kind" | "seq" | "hash" | "exportedAt">) => `${head.kind}\n${head.seq}\n${head.hash}\n${head.exportedAt}`;
const keyIdOf = (key: string) => createHmac("sha256", key).update("key-id").digest("hex").slice(0, 16);

/** The head of a verified chain, to keep elsewhere (like CloudTrail's digest files); signed when a key is configured. */
export function exportHead(result: Extract<VerifyResult, { ok: true }>, signingKey?: string, now = new Date()): HeadExport {
  const head: HeadExport = { kind: "admin-consent-portal.audit-head", seq: result.headSeq, hash: result.headHash, count: result.count, exportedAt: now.toISOString() };
  if (signingKey) head.signature = { alg: "HMAC-SHA256", keyId: keyIdOf(signingKey), value: createHmac("sha256", signingKey).update(headPayload(head)).digest("hex") };
  return head;
}

export function checkHeadSignature(head: HeadExport, signingKey: string): boolean {
  if (!head.signature) return false;
  const expected = createHmac("sha256", signingKey).update(headPayload(head)).digest("hex");
  return expected === head.signature.value;
}

export type { AuditRecord };


/** Keeps a signed head in the database, where the routine check starts from it; unsigned heads are refused. */
export async function recordHead(sql: AuditSql, head: HeadExport): Promise<void> {
  if (!head.signature) throw new Error("only signed heads are recorded: set AUDIT_HEAD_SIGNING_KEY");
  await sql.query(
    `INSERT INTO "AuditHead" (seq, hash, count, "exportedAt", "keyId", signature) VALUES ($1::bigint, $2, $3::int, $4::timestamptz, $5, $6) ON CONFLICT (seq) DO NOTHING`,
    [head.seq, head.hash, head.count, head.exportedAt, head.signature.keyId, head.signature.value],
  );
}

/**
 * The newest recorded head signed with `signingKey` (heads of earlier keys are passed over, so a key
 * can be rotated). A head of this key whose signature does not check is returned as `forged`: only a
 * writer without the key could have made it, and the check must say so rather than skip it.
 */
export async function lastSignedHead(sql: AuditSql, signingKey: string): Promise<{ head: HeadExport; forged: boolean } | null> {
  const [row] = await sql.query<{ seq: string; hash: string; count: number; exportedAt: string; keyId: string; signature: string }>(
    `SELECT seq::text AS seq, hash::text AS hash, count, to_char("exportedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "exportedAt", "keyId", signature
       FROM "AuditHead" WHERE "keyId" = $1 ORDER BY seq DESC LIMIT 1`,
    [keyIdOf(signingKey)],
  );
  if (!row) return null;
  const head: HeadExport = {
    kind: "admin-consent-portal.audit-head",
    seq: row.seq,
    hash: row.hash.trim(),
    count: Number(row.count),
    exportedAt: row.exportedAt,
    signature: { alg: "HMAC-SHA256", keyId: row.keyId, value: row.signature },
  };
  return { head, forged: !checkHeadSignature(head, signingKey) };
}

export type RoutineResult = VerifyResult & {
  /** The signed head the check started from; null when it started from the first event (no head yet). */
  since: { seq: string; exportedAt: string } | null;
  /** Events whose content and link were checked in this run. */
  checked: number;
  /** The head recorded after this run passed, when asked to record one. */
  recorded?: HeadExport;
};

/**
 * The routine check: verifies only the events after the newest signed head (the head's own event is
 * read once, to prove it still has the signed hash), so it takes time in proportion to the events
 * appended since. When it passes and `record` is set, the new head is signed and recorded, and the
 * next routine check starts there. It cannot see a change made before the head: that is the full
 * pass's job (verifyChain, `npm run audit:verify`), kept for auditors.
 */
export async function verifySinceLastHead(
  sql: AuditSql,
  options: { signingKey: string; record?: boolean; chunk?: number; now?: Date; runner?: RangeRunner; parts?: number },
): Promise<RoutineResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const last = await lastSignedHead(sql, options.signingKey);
  let result: VerifyResult;
  let since: RoutineResult["since"] = null;
  let checked = 0;
  if (!last) {
    result = await verifyChain(sql, { chunk: options.chunk, runner: options.runner, parts: options.parts });
    checked = result.ok ? result.count : Number(result.brokenSeq);
  } else {
    const { head, forged } = last;
    since = { seq: head.seq, exportedAt: head.exportedAt };
    if (forged) {
      return { ok: false, count: 0, brokenSeq: head.seq, reason: "altered", detail: `the recorded head #${head.seq} is not signed with the head-signing key`, ms: ms(), since, checked };
    }
    const [anchor] = await sql.query<{ hash: string }>(`SELECT hash::text AS hash FROM "AuditEvent" WHERE seq = $1::bigint`, [head.seq]);
    if (!anchor) return { ok: false, count: 0, brokenSeq: head.seq, reason: "missing", detail: `event ${head.seq}, the signed head, is no longer stored`, ms: ms(), since, checked };
    if (anchor.hash.trim() !== head.hash) {
      return { ok: false, count: 0, brokenSeq: head.seq, reason: "altered", detail: `event ${head.seq} differs from the signed head of ${head.exportedAt}`, ms: ms(), since, checked };
    }
    result = await verifyChain(sql, { chunk: options.chunk, runner: options.runner, parts: options.parts, from: { seq: head.seq, hash: head.hash } });
    checked = result.ok ? result.count - Number(head.seq) : Number(result.brokenSeq) - Number(head.seq);
  }
  result.ms = ms();
  let recorded: HeadExport | undefined;
  if (result.ok && options.record && result.headSeq !== since?.seq && result.count > 0) {
    recorded = exportHead(result, options.signingKey, options.now);
    await recordHead(sql, recorded);
  }
  return { ...result, since, checked, recorded };
}
