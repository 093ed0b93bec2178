import { describe, expect, it } from "vitest";
import { seal, unseal } from "./crypto";

const secret = "a-test-secret-that-is-long-enough-123";

describe("seal / unseal", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = seal('{"refreshToken":"eyJ0b2tlbiI"}', secret, "graph-tokens");
    expect(Buffer.from(sealed).toString("latin1")).not.toContain("eyJ");
    expect(unseal(sealed, secret, "graph-tokens")).toBe('{"refreshToken":"eyJ0b2tlbiI"}');
  });

  it("uses a fresh IV each time", () => {
    expect(Buffer.from(seal("same", secret, "p")).equals(Buffer.from(seal("same", secret, "p")))).toBe(false);
  });

  it("refuses altered data, another secret and another purpose", () => {
    const sealed = seal("token", secret, "graph-tokens");
    const altered = Uint8Array.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => unseal(altered, secret, "graph-tokens")).toThrow();
    expect(() => unseal(sealed, `${secret}x`, "graph-tokens")).toThrow();
    expect(() => unseal(sealed, secret, "other")).toThrow();
  });
});
