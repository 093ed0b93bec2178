import { redactText } from "@/lib/audit/redact";

/**
 * Background jobs of one portal process, started from instrumentation.ts. `every(name, ms, task)`
 * runs `task` every `ms` milliseconds:
 * - a run still going when the next one is due makes that one skip, so runs of a task never overlap;
 * - a failed run is logged (message only, token-shaped text removed) and the task runs again at the
 *   next tick, which is the retry;
 * - timers are unref'd (they never keep the process alive) and all stop when the process exits;
 * - a name is scheduled once per process: scheduling it again (a re-run register hook, a dev reload)
 *   returns the job already running.
 * Several portal instances each run their own jobs, so a task must tolerate running on two at once.
 */
export type Job = { name: string; ms: number; stop: () => void; runNow: () => Promise<void> };

const globalForJobs = globalThis as unknown as { portalJobs?: Map<string, Job> };
const jobs = (globalForJobs.portalJobs ??= new Map());

function describe(error: unknown): string {
  return redactText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

export function every(name: string, ms: number, task: () => Promise<void>, options: { firstRunAfterMs?: number } = {}): Job {
  const existing = jobs.get(name);
  if (existing) return existing;
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`job ${name}: the interval must be a positive number of milliseconds`);
  let running: Promise<void> | null = null;
  let stopped = false;
  const runNow = () => {
    if (stopped) return Promise.resolve();
    running ??= task()
      .catch((error: unknown) => console.error(`[jobs] ${name} failed, will retry in ${Math.round(ms / 1000)} s: ${describe(error)}`))
      .finally(() => {
        running = null;
      });
    return running;
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

/** Stops every job of this process. */
export function stopAll(): void {
  for (const job of [...jobs.values()]) job.stop();
}

process.once("exit", stopAll);
