// Test helper: one admin in a portal process of its own, running operations through the change engine
// against the shared database and the simulated Graph, as a second portal instance would.
// Usage: tsx --conditions=react-server lib/consent/engine/testing/admin-worker.ts  (job as JSON in ADMIN_WORKER_JOB)
// Prints "ready" once connected, waits for a line on stdin (so both workers start together), runs the
// operations in order and prints their results as one JSON line.
import { createInterface } from "node:readline";
import { createPool } from "@/lib/audit/sql";
import { adminSession, engineOver, perform, type Admin, type Operation } from "./admin-ops";

type Job = { databaseUrl: string; baseUrl: string; token: string; admin: Admin; operations: Operation[] };

async function main() {
  const job = JSON.parse(process.env.ADMIN_WORKER_JOB ?? "null") as Job | null;
  if (!job) throw new Error("ADMIN_WORKER_JOB is not set");
  const pool = createPool(job.databaseUrl, 2);
  await pool.query("SELECT 1");
  const session = adminSession(job.admin, job.baseUrl, job.token, engineOver(pool));
  const lines = createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => lines.once("line", () => resolve()));
  process.stdout.write("ready\n");
  await go;
  lines.close();
  const results = [];
  for (const operation of job.operations) results.push({ operation, steps: await perform(session, operation) });
  process.stdout.write(`${JSON.stringify(results)}\n`);
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
