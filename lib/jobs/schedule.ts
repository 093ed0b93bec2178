import { redactText } from "@/lib/audit/redact";
import { logger } from "@/lib/log";

/**
 * Background jobs of one portal process, started from instrumentation.ts. `every(name, ms, task)`
 * runs `task` every `ms` milliseconds:
 * - a run still going when the next one is due makes that one skip, so runs of a task never overlap;
 * - a failed run is logged (message only, token-shaped text removed) and the task runs again at the
 *   next tick, which is the retry;
 * - timers are unref'd (they never keep the process alive) and all stop when the process exits;
 * - a name is scheduled once per process: scheduling it again (a re-run register hook, a dev reload)
 *   returns the job already running.
 * Across instances: once `claimRunsThrough(claims)` is set (lib/jobs/start.ts does, with the database's
 * JobRun table), a run first claims its period — floor(now / ms) — and only the instance whose claim
 * lands runs it, so each job runs once per period however many portal processes share the database.
 */
export type Job = { name: string; ms: number; stop: () => void; runNow: () => Promise<void> };

/** A claimed period: the run's record is closed with its outcome. */
export type JobRunClaim = { finish: (outcome: "succeeded" | "failed", error?: string) => Promise<void> };
/** Claims one period of one job for this process; null when another instance has it or still runs the job. */
export type JobClaims = { claim: (job: string, period: number, leaseMs: number) => Promise<JobRunClaim | null> };

const globalForJobs = globalThis as unknown as { portalJobs?: Map<string, Job>; portalJobClaims?: JobClaims | null; portalJobRuns?: Set<Promise<void>> };
const jobs = (globalForJobs.portalJobs ??= new Map());
/** Runs going on now, for a graceful shutdown to wait for. */
const running = (globalForJobs.portalJobRuns ??= new Set());

/** Every run of every job from now on claims its period through `claims` (null: per process only). */
export function claimRunsThrough(claims: JobClaims | null): void {
  globalForJobs.portalJobClaims = claims;
}

function describe(error: unknown): string {
  return redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/**
 * How long a claimed run counts as running when its process never closes it (it died): other instances
 * start the job again after this. Long enough for any honest run, short enough to survive a crash.
 */
export const leaseMs = (ms: number) => Math.max(2 * ms, 10 * 60_000);

async function runOnce(name: string, ms: number, task: () => Promise<void>): Promise<void> {
  const claims = globalForJobs.portalJobClaims;
  const period = Math.floor(Date.now() / ms);
  const claim = claims ? await claims.claim(name, period, leaseMs(ms)) : null;
  if (claims && !claim) return; // another instance runs this period (or is still running the job)
  const started = Date.now();
  try {
    await task();
    await claim?.finish("succeeded");
    logger().info({ job: name, period, ms: Date.now() - started }, "job ran");
  } catch (error) {
    await claim?.finish("failed", describe(error).slice(0, 500)).catch(() => undefined);
    throw error;
  }
}

export function every(name: string, ms: number, task: () => Promise<void>, options: { firstRunAfterMs?: number } = {}): Job {
  const existing = jobs.get(name);
  if (existing) return existing;
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`job ${name}: the interval must be a positive number of milliseconds`);
  let current: Promise<void> | null = null;
  let stopped = false;
  const runNow = () => {
    if (stopped) return Promise.resolve();
    if (!current) {
      const run: Promise<void> = runOnce(name, ms, task)
        .catch((error: unknown) => logger().error({ job: name }, `[jobs] ${name} failed, will retry in ${Math.round(ms / 1000)} s: ${describe(error)}`))
        .finally(() => {
          current = null;
          running.delete(run);
        });
      current = run;
      running.add(run);
    }
    return current;
  };
  const timer = setInterval(() => void runNow(), ms);
  timer.unref();
  // Optionally a first run sooner than one interval after start (e.g. shortly after the portal boots).
  const first = options.firstRunAfterMs === undefined ? undefined : setTimeout(() => void runNow(), options.firstRunAfterMs);
  first?.unref();
  const job: Job = {
    name,
    ms,
    runNow,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      jobs.delete(name);
    },
  };
  jobs.set(name, job);
  return job;
}

/** Stops every job of this process (runs already going on finish; `settled()` waits for them). */
export function stopAll(): void {
  for (const job of [...jobs.values()]) job.stop();
}

/** Resolves once no run of any job is going on (a graceful shutdown, after stopAll). */
export async function settled(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

process.once("exit", stopAll);
