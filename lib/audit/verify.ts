import { createHmac } from "node:crypto";
import { GENESIS_HASH, hashRecord, type AuditRecord } from "./canonical";
import { selectRecords } from "./rows";
import type { AuditSql } from "./sql";

export type BreakReason = "altered" | "missing" | "reordered";

export type VerifyResult =
  | { ok: true; count: number; headSeq: string; headHash: string; ms: number }
  | { ok: false; count: number; brokenSeq: string; reason: BreakReason; detail: string; ms: number };

/**
 * Recomputes the whole chain in seq order, reading in keyset chunks (memory stays flat at a million
 * events). Reports the first broken sequence number and why:
 * - missing: a sequence number is absent (a row deleted), or a row links to a predecessor that is gone;
 * - reordered: a row links to a hash that exists elsewhere in the chain (rows moved);
 * - altered: a row's content no longer matches its hash (or its link was rewritten).
 * `expected` (an exported head) also catches rows removed from the end.
 */
export async function verifyChain(sql: AuditSql, options: { chunk?: number; expected?: { seq: string; hash: string } } = {}): Promise<VerifyResult> {
  const started = performance.now();
  const chunk = options.chunk ?? 5_000;
  const ms = () => Math.round(performance.now() - started);
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const after = 0n;
  let expectedSeen = false;
  const fetch = (from: bigint) => selectRecords(sql, `e.seq > $1::bigint`, [from.toString()], "chain", chunk);
  let pending = fetch(after);
  for (;;) {
    const rows = await pending;
    // Pipelined: the database builds the next chunk while this one is hashed.
    const last = rows.at(-1);
    if (rows.length === chunk && last) {
      pending = fetch(last.seq);
      pending.catch(() => undefined); // awaited on the next turn; no unhandled rejection if a break ends the loop first
    }
    for (const record of rows) {
      const broken = (reason: BreakReason, detail: string): VerifyResult => ({ ok: false, count, brokenSeq: expectedSeq.toString(), reason, detail, ms: ms() });
      if (record.seq !== expectedSeq) {
        return broken("missing", `sequence number ${expectedSeq} is missing (next stored event is ${record.seq})`);
      }
      const recomputed = hashRecord(record);
      if (record.prevHash !== prevHash) {
        const elsewhere = await sql.query<{ seq: string }>(`SELECT seq::text AS seq FROM "AuditEvent" WHERE hash = $1`, [record.prevHash]);
        if (elsewhere[0]) return broken("reordered", `event ${record.seq} links to event ${elsewhere[0].seq}, not to its predecessor`);
        if (recomputed === record.hash) return broken("missing", `event ${record.seq} links to an event that is no longer stored`);
        return broken("altered", `event ${record.seq} has a rewritten link to its predecessor`);
      }
      if (recomputed !== record.hash) return broken("altered", `event ${record.seq} does not match its hash`);
      if (options.expected && record.seq.toString() === options.expected.seq) {
        expectedSeen = true;
        if (record.hash !== options.expected.hash) return broken("altered", `event ${record.seq} differs from the exported head`);
      }
      prevHash = record.hash;
      expectedSeq += 1n;
      count += 1;
    }
    if (rows.length < chunk) break;
  }
  if (options.expected && !expectedSeen) {
    return { ok: false, count, brokenSeq: expectedSeq.toString(), reason: "missing", detail: `the exported head is event ${options.expected.seq}, but the chain ends at ${expectedSeq - 1n}`, ms: ms() };
  }
  return { ok: true, count, headSeq: (expectedSeq - 1n).toString(), headHash: prevHash, ms: ms() };
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
