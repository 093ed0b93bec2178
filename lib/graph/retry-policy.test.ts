import { describe, expect, it } from "vitest";
import { retryAfterMs, retryDelay, type RetryOptions } from "./retry-policy";

const options: RetryOptions = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 10_000 };
const noJitter = () => 0;

describe("retryAfterMs", () => {
  it("reads delta-seconds and HTTP dates", () => {
    const now = Date.parse("2026-11-26T10:00:00Z");
    expect(retryAfterMs("7", now)).toBe(7000);
    expect(retryAfterMs("Thu, 26 Nov 2026 10:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Thu, 26 Nov 2026 09:59:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });
});

describe("retryDelay (S10)", () => {
  it.each([400, 401, 403, 404, 409, 500])("never retries %i", (status) => {
    expect(retryDelay(status, "1", 1, options)).toBeNull();
  });

  it.each([429, 503, 504])("retries %i no sooner than Retry-After", (status) => {
    expect(retryDelay(status, "2", 1, options)).toBe(2000);
  });

  it("backs off exponentially without Retry-After", () => {
    expect([1, 2, 3].map((attempt) => retryDelay(429, null, attempt, options, noJitter))).toEqual([100, 200, 400]);
    expect(retryDelay(429, null, 1, options, () => 1)).toBe(120);
  });

  it("stops after maxRetries", () => {
    expect(retryDelay(503, null, 4, options)).toBeNull();
  });

  it("gives up rather than retry before a Retry-After longer than it will wait", () => {
    expect(retryDelay(429, "60", 1, options)).toBeNull();
  });
});
