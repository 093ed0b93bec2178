import { readFileSync, writeFileSync } from "node:fs";
import { createPool, pgSql } from "../lib/audit/sql";
import { checkHeadSignature, exportHead, verifyChain, verifySinceLastHead, type HeadExport } from "../lib/audit/verify";
import { verificationFor } from "../lib/audit/verify-parallel";
import { localEmbeddedDatabaseUrl } from "./lib/embedded-database";

/**
 * `npm run audit:verify [-- --expect head.json] [-- --head-out head.json]`: recomputes the audit hash
 * chain. Prints "OK <count> events, head #<seq> <hash>" and exits 0, or the first broken sequence
 * number and why, and exits 1. --expect checks against a previously exported head (and its signature
 * when AUDIT_HEAD_SIGNING_KEY is set); --head-out writes the current head (signed when the key is set).
 * Uses DATABASE_URL, or the embedded database of `npm start` (port DATABASE_PORT, default 5433), with
 * the password from its data folder (PORTAL_DATA_DIR, default .data).
 *
 * `npm run audit:verify -- --since-last-head [--record]`: the routine check. Verifies only the events
 * after the newest head recorded in the database and signed with AUDIT_HEAD_SIGNING_KEY (from the
 * first event when there is none), in time proportional to those events; --record then signs and
 * records the new head, where the next routine check starts. Changes before that head are the full
 * pass's to find (the command without --since-last-head), which auditors keep running.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const url = process.env.DATABASE_URL || localEmbeddedDatabaseUrl();
  const spread = verificationFor(url, process.env.DATABASE_URL ? "postgres" : "embedded");
  const key = process.env.AUDIT_HEAD_SIGNING_KEY || undefined;
  const expectFile = arg("--expect");
  let expected: HeadExport | undefined;
  if (expectFile) {
    expected = JSON.parse(readFileSync(expectFile, "utf8")) as HeadExport;
    if (key && !checkHeadSignature(expected, key)) {
      console.error(`FAILED: ${expectFile} is not signed with AUDIT_HEAD_SIGNING_KEY (altered, or another key).`);
      process.exit(1);
    }
  }
  const pool = createPool(url, 2);
  if (process.argv.includes("--since-last-head")) {
    try {
      if (!key) throw new Error("--since-last-head needs AUDIT_HEAD_SIGNING_KEY: only signed heads are trusted");
      const result = await verifySinceLastHead(pgSql(pool), { ...spread, signingKey: key, record: process.argv.includes("--record") });
      const from = result.since ? `after the signed head #${result.since.seq} of ${result.since.exportedAt}` : "from the first event (no signed head recorded yet)";
      if (!result.ok) {
        console.error(`FAILED at event ${result.brokenSeq}: ${result.reason} — ${result.detail} (checked ${from})`);
        process.exitCode = 1;
        return;
      }
      console.log(`OK ${result.checked} events ${from}, head #${result.headSeq} ${result.headHash} (${result.ms} ms)`);
      if (result.recorded) console.log(`   head #${result.recorded.seq} signed and recorded`);
    } finally {
      await pool.end();
    }
    return;
  }
  try {
    // On PostgreSQL, ranges of the chain in worker threads, each with its own connection.
    const result = await verifyChain(pgSql(pool), { ...spread, expected: expected ? { seq: expected.seq, hash: expected.hash } : undefined });
    if (!result.ok) {
      console.error(`FAILED at event ${result.brokenSeq}: ${result.reason} — ${result.detail} (${result.count} events before it verified)`);
      process.exitCode = 1;
      return;
    }
    console.log(`OK ${result.count} events, head #${result.headSeq} ${result.headHash} (${result.ms} ms)`);
    if (expected) console.log(`   includes the exported head #${expected.seq} from ${expected.exportedAt}`);
    const out = arg("--head-out");
    if (out) {
      writeFileSync(out, `${JSON.stringify(exportHead(result, key), null, 2)}\n`);
      console.log(`   head written to ${out}${key ? " (signed)" : ""}`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
