import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
  const source = file.pathname.endsWith(".ts") ? fromSource(file) : ([file, {}] as const);
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
