import { settled, stopAll } from "./schedule";

/**
 * The process's work in flight, for a graceful shutdown (scripts/portal-server.mjs on SIGTERM). Tenant
 * changes register here (the change engine's runStep), so that a change under way when the signal
 * comes still gets its Graph calls, read-back and outcome row before the process exits. The object is
 * shared with the server through a global symbol: that file runs outside Next's bundle.
 */
type Lifecycle = { draining: boolean; inFlight?: Set<Promise<unknown>>; drain?: () => Promise<void> };

const LIFECYCLE = Symbol.for("admin-consent-portal.lifecycle");
const shared = globalThis as unknown as Record<symbol, Lifecycle | undefined>;

function lifecycle(): Lifecycle {
  const current = (shared[LIFECYCLE] ??= { draining: false });
  current.inFlight ??= new Set();
  return current;
}

/** True once the process is shutting down: it reports not ready, so a load balancer sends nothing new. */
export function isDraining(): boolean {
  return lifecycle().draining;
}

/** Keeps the process from exiting on SIGTERM until `work` has settled; returns `work`. */
export function trackInFlight<T>(work: Promise<T>): Promise<T> {
  const inFlight = lifecycle().inFlight!;
  inFlight.add(work);
  const forget = () => void inFlight.delete(work);
  work.then(forget, forget);
  return work;
}

/** Stops the job timers and resolves once no change and no job run is in flight. */
export async function drain(): Promise<void> {
  const current = lifecycle();
  current.draining = true;
  stopAll();
  while (current.inFlight!.size > 0) await Promise.allSettled([...current.inFlight!]);
  await settled();
  // A job run may itself have started a change (reconciliation): wait for that too.
  while (current.inFlight!.size > 0) await Promise.allSettled([...current.inFlight!]);
}

/** Hands `drain` to the server (instrumentation.ts, once at start). */
export function offerDrain(): void {
  lifecycle().drain = drain;
}
