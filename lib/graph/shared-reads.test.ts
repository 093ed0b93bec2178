import { describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));
const { forgetSharedReads, rememberShared, SHARED_READ_TTL_MS } = await import("./shared-reads");

describe("rememberShared", () => {
  it("reads once for concurrent and later callers within the TTL, again after it and after a write", async () => {
    forgetSharedReads();
    let reads = 0;
    const read = async () => (reads += 1);
    const t0 = 1_000_000;
    expect(await Promise.all([rememberShared("k", read, t0), rememberShared("k", read, t0)])).toEqual([1, 1]);
    expect(await rememberShared("k", read, t0 + SHARED_READ_TTL_MS - 1)).toBe(1);
    expect(await rememberShared("k", read, t0 + SHARED_READ_TTL_MS)).toBe(2);
    forgetSharedReads();
    expect(await rememberShared("k", read, t0 + SHARED_READ_TTL_MS)).toBe(3);
  });

  it("does not keep a failed read", async () => {
    forgetSharedReads();
    await expect(rememberShared("f", () => Promise.reject(new Error("Graph said no")))).rejects.toThrow("Graph said no");
    expect(await rememberShared("f", async () => "fine")).toBe("fine");
  });
});
