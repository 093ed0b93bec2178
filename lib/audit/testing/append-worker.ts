// Test helper: appends `count` events one transaction at a time, as a separate portal instance would.
// Usage: tsx lib/audit/testing/append-worker.ts <databaseUrl> <count> <label>
import { appendEvents } from "../store";
import { createPool, pgSql } from "../sql";
import { sampleEvent } from "./fixtures";

async function main() {
  const [url, countText, label] = process.argv.slice(2);
  if (!url || !countText || !label) throw new Error("usage: append-worker <databaseUrl> <count> <label>");
  const pool = createPool(url, 2);
  const sql = pgSql(pool);
  for (let i = 0; i < Number(countText); i += 1) {
    await appendEvents(sql, [sampleEvent({ action: `concurrent.${label}`, justification: `${label} #${i}` })]);
  }
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
