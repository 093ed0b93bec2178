// One measured step in its own process, so its peak RSS is its own: `export <csv|jsonl>`, `read` (the bare
// read verification is compared with: COPY of the whole table, bytes counted), `verify` (the full pass,
// spread as `npm run audit:verify` spreads it) or `routine` (verifySinceLastHead in this process,
// as the portal's audit-check job runs it, with its chunk size), on BENCH_DATABASE_URL (the environment,
// not the command line, which every local user can read: it holds a password); `routine` signs with
// BENCH_HEAD_KEY.
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import { exportStream } from "../../lib/audit/export";
import { createPool, pgSql } from "../../lib/audit/sql";
import { to as copyTo } from "pg-copy-streams";
import { JOB_CHUNK } from "../../lib/audit/scheduled-check";
import { verifyChain, verifySinceLastHead } from "../../lib/audit/verify";
import { verificationFor } from "../../lib/audit/verify-parallel";

async function main() {
  const [step, format] = process.argv.slice(2);
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) throw new Error("BENCH_DATABASE_URL is not set");
  const pool = createPool(url, 2);
  const sql = pgSql(pool);
  const started = performance.now();
  let detail = "";
  if (step === "export") {
    const stream = exportStream(sql, {}, format === "jsonl" ? "jsonl" : "csv");
    let bytes = 0;
    const sink = createWriteStream("/dev/null");
    const counter = new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, controller) { bytes += chunk.byteLength; controller.enqueue(chunk); } });
    await stream.pipeThrough(counter).pipeTo(Writable.toWeb(sink));
    detail = `${(bytes / 1e6).toFixed(0)} MB`;
  } else if (step === "read") {
    const client = await pool.connect();
    let bytes = 0;
    try {
      for await (const part of client.query(copyTo(`COPY "AuditEvent" TO STDOUT`))) bytes += (part as Buffer).byteLength;
    } finally {
      client.release();
    }
    detail = `${(bytes / 1e6).toFixed(0)} MB`;
  } else if (step === "routine") {
    const result = await verifySinceLastHead(sql, { chunk: JOB_CHUNK, signingKey: process.env.BENCH_HEAD_KEY ?? "", record: false });
    detail = result.ok ? `OK, ${result.checked} events after head #${result.since?.seq ?? "none"}` : `BROKEN at ${result.brokenSeq}`;
  } else {
    const result = await verifyChain(sql, verificationFor(url, process.env.BENCH_DATABASE_KIND === "embedded" ? "embedded" : "postgres"));
    detail = result.ok ? `OK ${result.count}` : `BROKEN at ${result.brokenSeq}`;
  }
  const ms = performance.now() - started;
  await pool.end();
  process.stdout.write(`${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
