import { afterEach, describe, expect, it } from "vitest";
import { drain, isDraining, trackInFlight } from "./lifecycle";
import { every, stopAll } from "./schedule";

afterEach(() => {
  stopAll();
  // The state is per process, shared through a global: leave the worker not draining for other files.
  (globalThis as unknown as Record<symbol, { draining: boolean }>)[Symbol.for("admin-consent-portal.lifecycle")]!.draining = false;
});

/** A promise and the function that settles it, for work that ends when the test says so. */
function pending() {
  let finish!: () => void;
  const work = new Promise<void>((resolve) => (finish = resolve));
  return { work, finish };
}

describe("drain()", () => {
  it("waits for changes in flight and for job runs going on, stops the job timers, and reports draining", async () => {
    const change = pending();
    const jobRun = pending();
    let runs = 0;
    const job = every("lifecycle-test", 60_000, async () => {
      runs += 1;
      await jobRun.work;
    });
    void job.runNow();
    void trackInFlight(change.work);

    let drained = false;
    const draining = drain().then(() => (drained = true));
    expect(isDraining()).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    change.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false); // the job run is still going
    jobRun.finish();
    await draining;
    expect(drained).toBe(true);
    // The timers are stopped: no new run after the drain.
    await job.runNow();
    expect(runs).toBe(1);
  });
});
