// One measured step in its own process, so its peak RSS is its own: `export <csv|jsonl>` or `verify`, on
// BENCH_DATABASE_URL (the environment, not the command line, which every local user can read: it holds a password).
import { createWriteStream } from "node:fs";
import { Writable } from "node:stream";
import { exportStream } from "../../lib/audit/export";
import { createPool, pgSql } from "../../lib/audit/sql";
import { verifyChain } from "../../lib/audit/verify";
import { parallelVerification } from "../../lib/audit/verify-parallel";

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
  } else {
    const result = await verifyChain(sql, parallelVerification(url));
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
