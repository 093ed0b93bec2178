import { describe, expect, it } from "vitest";
import { AdaptiveLimiter } from "./limiter";
import { estimateMsLeft } from "./progress";

/** A task that finishes when the test says so, recording how many ran at once. */
function gate(state: { running: number; peak: number }) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const task = async () => {
    state.running += 1;
    state.peak = Math.max(state.peak, state.running);
    await opened;
    state.running -= 1;
  };
  return { task, open };
}

describe("AdaptiveLimiter", () => {
  it("keeps at most `max` in flight, halves on a 429 and grows back one at a time after calm calls", async () => {
    const limiter = new AdaptiveLimiter(4, 2);
    const state = { running: 0, peak: 0 };
    const gates = Array.from({ length: 6 }, () => gate(state));
    const done = gates.map((g) => limiter.run(g.task));
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.running).toBe(4);
    limiter.throttled();
    expect(limiter.limit).toBe(2);
    for (const g of gates) g.open();
    await Promise.all(done);
    expect(state.peak).toBe(4);
    limiter.throttled();
    limiter.throttled();
    expect(limiter.limit).toBe(1);
    limiter.succeeded();
    limiter.succeeded();
    expect(limiter.limit).toBe(2);
    for (let i = 0; i < 20; i += 1) limiter.succeeded();
    expect(limiter.limit).toBe(4);
  });

  it("runs no more than the lowered limit once the calls in flight finish", async () => {
    const limiter = new AdaptiveLimiter(3);
    limiter.throttled();
    const state = { running: 0, peak: 0 };
    const gates = Array.from({ length: 4 }, () => gate(state));
    const done = gates.map((g) => limiter.run(g.task));
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.running).toBe(1);
    for (const g of gates) g.open();
    await Promise.all(done);
    expect(state.peak).toBe(1);
  });
});

describe("estimateMsLeft", () => {
  it("extrapolates the pace so far to the pages expected, and says nothing without an expectation", () => {
    expect(estimateMsLeft({ status: "running", phase: "servicePrincipals", pages: 10, expectedPages: 40, elapsedMs: 5_000 })).toBe(15_000);
    expect(estimateMsLeft({ status: "running", phase: "servicePrincipals", pages: 10, expectedPages: null, elapsedMs: 5_000 })).toBeNull();
    expect(estimateMsLeft({ status: "running", phase: "analysis", pages: 45, expectedPages: 40, elapsedMs: 5_000 })).toBe(1_000);
    expect(estimateMsLeft({ status: "completed", phase: "analysis", pages: 45, expectedPages: 40, elapsedMs: 5_000 })).toBe(0);
    expect(estimateMsLeft({ status: "failed", phase: "grants", pages: 4, expectedPages: 40, elapsedMs: 5_000 })).toBeNull();
  });
});
