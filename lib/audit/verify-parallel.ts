import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { createPool, pgSql } from "./sql";
import { verifyRange, type RangeResult, type RangeRunner } from "./verify";

/** Ranges per thread: small enough that a thread started late (a worker takes most of a second to start on a busy machine) still gets its share. */
const RANGES_PER_THREAD = 4;

/**
 * Verification across threads, for the command line and the benchmark (not the portal's pages, whose
 * bundler would not ship the worker file): the ranges are a queue that `threads` verifiers take from,
 * each with a database connection of its own, so hashing and reading both run in parallel. One verifier
 * is this thread, which is warm and would otherwise only wait; the others are worker threads, which
 * take the next range as they finish one, so one that started late takes fewer. After a broken range,
 * no later range is started: the first break is found among the earlier ones. Pass the result to
 * verifyChain(sql, { ...parallelVerification(url) }).
 */
export function parallelVerification(
  databaseUrl: string,
  threads = Math.min(os.availableParallelism(), 8),
  /** Whether this thread is one of the verifiers (the tests turn it off to give every range to workers). */
  options: { inThisThread?: boolean } = {},
): { runner: RangeRunner; parts: number } {
  const inThisThread = options.inThisThread ?? true;
  const verifiers = Math.max(1, threads);
  return {
    parts: verifiers * RANGES_PER_THREAD,
    runner: async (tasks) => {
      const results: (RangeResult | undefined)[] = new Array(tasks.length);
      let next = 0;
      let firstBroken = tasks.length;
      const take = () => (next < tasks.length && next <= firstBroken ? next++ : -1);
      const done = (index: number, result: RangeResult) => {
        results[index] = result;
        if (result.broken && index < firstBroken) firstBroken = index;
      };
      const here = async () => {
        const pool = createPool(databaseUrl, 1);
        try {
          const sql = pgSql(pool);
          for (let index = take(); index >= 0; index = take()) done(index, await verifyRange(sql, tasks[index]!));
        } finally {
          await pool.end();
        }
      };
      const workers: Worker[] = [];
      const inWorker = () =>
        new Promise<void>((resolve, reject) => {
          const [source, options] = workerSource();
          const worker = new Worker(source, { ...options, workerData: { url: databaseUrl } });
          workers.push(worker);
          let asked = -1;
          const ask = () => {
            asked = take();
            // Nothing left: the worker closes its connection and says so.
            worker.postMessage({ task: asked < 0 ? undefined : tasks[asked] });
          };
          worker.on("message", (message: { ready?: true; result?: RangeResult; error?: string; closed?: true }) => {
            if (message.error !== undefined) reject(new Error(`verification worker failed: ${message.error}`));
            else if (message.closed) resolve();
            else {
              if (message.result) done(asked, message.result);
              ask();
            }
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`verification worker exited with code ${code}`)));
        });
      try {
        const inWorkers = Math.min(verifiers, tasks.length) - (inThisThread ? 1 : 0);
        await Promise.all([...(inThisThread ? [here()] : []), ...Array.from({ length: Math.max(1, inWorkers) }, inWorker)]);
      } finally {
        // One range failing (a lost connection) ends the others too: the whole verification failed.
        await Promise.all(workers.map((worker) => worker.terminate()));
      }
      // Every range up to the first broken one has run; later ones may not have.
      return results.slice(0, Math.min(tasks.length, firstBroken + 1)) as RangeResult[];
    },
  };
}

/**
 * How `npm run audit:verify` spreads the work: over this thread and worker threads on PostgreSQL, whose
 * backends print their ranges in parallel; in this thread alone on the embedded database, which runs
 * one statement at a time (PGlite is one WebAssembly thread), so a second verifier would only wait for
 * it, while this thread already hashes one chunk as the database prints the next.
 */
export function verificationFor(databaseUrl: string, database: "embedded" | "postgres"): { runner?: RangeRunner; parts?: number } {
  return database === "embedded" ? {} : parallelVerification(databaseUrl);
}

let bundled: readonly [string | URL, { eval?: true }] | undefined;

/** The worker's code, bundled once per process (lib/audit/verify-worker.ts). */
function workerSource(): readonly [string | URL, { eval?: true }] {
  if (!bundled) {
    const file = new URL(`./verify-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
    bundled = file.pathname.endsWith(".ts") ? fromSource(file) : ([file, {}] as const);
  }
  return bundled;
}

type EsbuildSync = {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
};

/**
 * The worker from TypeScript source (the command line and the benchmark run through tsx). Node 20 does
 * not carry tsx's loader into worker threads, and registering it in each worker took seconds on a busy
 * machine (an esbuild service per thread, every file compiled again): the worker and the audit files it
 * imports are bundled once here with tsx's esbuild, packages left to require from this folder. If that
 * esbuild cannot be loaded, a one-line bootstrap registers tsx's loader in the worker instead.
 */
function fromSource(file: URL): readonly [string, { eval: true }] {
  const require = createRequire(import.meta.url);
  const tsx = require.resolve("tsx");
  try {
    const esbuild = createRequire(tsx)("esbuild") as EsbuildSync;
    const [bundle] = esbuild.buildSync({ entryPoints: [fileURLToPath(file)], bundle: true, platform: "node", format: "cjs", packages: "external", target: "node20", write: false, logLevel: "silent" }).outputFiles;
    if (bundle) return [`((require) => {\n${bundle.text}\n})(require("node:module").createRequire(${JSON.stringify(fileURLToPath(file))}));`, { eval: true }];
  } catch {
    // fall through to tsx's loader
  }
  const api = pathToFileURL(path.join(path.dirname(tsx), "esm", "api", "index.mjs")).href;
  return [`import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}));`, { eval: true }];
}
