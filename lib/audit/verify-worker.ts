// A verifier in a worker thread with its own connection (lib/audit/verify-parallel.ts): says it is ready,
// then verifies each range it is sent and answers with its result; sent no range, it closes its
// connection and says so.
import { parentPort, workerData } from "node:worker_threads";
import { createPool, pgSql } from "./sql";
import { verifyRange, type RangeTask } from "./verify";

const { url } = workerData as { url: string };
const pool = createPool(url, 1);
const sql = pgSql(pool);
parentPort?.on("message", ({ task }: { task?: RangeTask }) => {
  if (!task) {
    void pool.end().finally(() => parentPort?.postMessage({ closed: true }));
    return;
  }
  verifyRange(sql, task)
    .then((result) => parentPort?.postMessage({ result }))
    .catch((error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }));
});
parentPort?.postMessage({ ready: true });
