import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RangeResult, RangeRunner, RangeTask } from "./verify";

/**
 * Verification across worker threads, for the command line and the benchmark (not the portal's
 * pages, whose bundler would not ship the worker file): each range gets a thread and a database
 * connection of its own, so hashing and reading both run in parallel. Pass the result to
 * verifyChain(sql, { ...parallelVerification(url) }).
 */
export function parallelVerification(databaseUrl: string, threads = Math.min(os.availableParallelism(), 8)): { runner: RangeRunner; parts: number } {
  const file = new URL(`./verify-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);
  // From source (tsx), Node 20 does not carry the parent's TypeScript loader into worker threads: a
  // one-line bootstrap registers tsx's loader, then imports the worker file.
  const tsxApi = () => pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve("tsx")), "esm", "api", "index.mjs")).href;
  const source = file.pathname.endsWith(".ts")
    ? ([`import(${JSON.stringify(tsxApi())}).then((tsx) => tsx.tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(file.href)}));`, { eval: true }] as const)
    : ([file, {}] as const);
  return {
    parts: Math.max(1, threads),
    runner: async (tasks) => {
      const workers: Worker[] = [];
      const runOne = (task: RangeTask) =>
        new Promise<RangeResult>((resolve, reject) => {
          const worker = new Worker(source[0], { ...source[1], workerData: { url: databaseUrl, task } });
          workers.push(worker);
          worker.once("message", (message: { result?: RangeResult; error?: string }) => {
            if (message.result) resolve(message.result);
            else reject(new Error(`verification worker failed: ${message.error}`));
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`verification worker exited with code ${code}`)));
        });
      try {
        return await Promise.all(tasks.map(runOne));
      } finally {
        // One range failing (a lost connection) ends the others too: the whole verification failed.
        await Promise.all(workers.map((worker) => worker.terminate()));
      }
    },
  };
}
