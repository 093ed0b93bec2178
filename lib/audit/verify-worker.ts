// One range of the chain, verified in a worker thread with its own connection (lib/audit/verify-parallel.ts).
import { parentPort, workerData } from "node:worker_threads";
import { createPool, pgSql } from "./sql";
import { verifyRange, type RangeTask } from "./verify";

const { url, task } = workerData as { url: string; task: RangeTask };
const pool = createPool(url, 1);
verifyRange(pgSql(pool), task)
  .then((result) => parentPort?.postMessage({ result }))
  .catch((error: unknown) => parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) }))
  .finally(() => void pool.end());
