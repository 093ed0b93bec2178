import { describe, expect, it } from "vitest";
import { decryptedClaims, isSignedInArea, signInPathFor } from "./signed-in-only";

describe("signInPathFor", () => {
  it("comes back to the same path and query", () => {
    expect(signInPathFor("/my-apps?q=okta")).toBe("/signin?callbackUrl=%2Fmy-apps%3Fq%3Dokta");
    expect(signInPathFor("/audit?actor=alex%40contoso.com&sort=actor")).toBe("/signin?callbackUrl=%2Faudit%3Factor%3Dalex%2540contoso.com%26sort%3Dactor");
  });
  it("never comes back to another site (S1)", () => {
    for (const target of ["//evil.example/x", "/\\evil.example", "https://evil.example/", "/a b"]) expect(signInPathFor(target)).toBe("/signin?callbackUrl=%2F");
  });
});

describe("isSignedInArea", () => {
  it("covers the admin, review, audit, inventory and my-apps areas and nothing else", () => {
    for (const path of ["/admin", "/admin/apps/x/grant", "/review", "/audit", "/audit/export", "/inventory/findings", "/my-apps", "/my-apps/apps/x"]) expect(isSignedInArea(path), path).toBe(true);
    for (const path of ["/", "/signin", "/auth/error", "/api/auth/session", "/api/health", "/administrator", "/my-apps-x", "/favicon.ico"]) expect(isSignedInArea(path), path).toBe(false);
  });
});

describe("decryptedClaims", () => {
  const token = { sid: "7d1c7c9e-44a4-4d34-9b0a-5b8f1c2d3e4f", oid: "0c2b5b3a-9c41-4d6e-8f1a-2b3c4d5e6f70", tid: "t", name: "Riley", upn: "riley@x", wids: [], exp: 2_000_000 };
  const now = 1_000_000_000;
  const withCookie = (cookie: string) => new Headers({ cookie });

  it("decrypts a cookie once and answers the same cookie from memory until the token expires", async () => {
    let decryptions = 0;
    const decrypt = async () => {
      decryptions += 1;
      return token;
    };
    const cookie = `authjs.session-token=first-${Math.random()}`;
    expect(await decryptedClaims(withCookie(cookie), decrypt, now)).toMatchObject({ sid: token.sid, oid: token.oid });
    expect(await decryptedClaims(withCookie(cookie), decrypt, now + 1000)).toMatchObject({ sid: token.sid });
    expect(decryptions).toBe(1);
    // Another cookie is decrypted for itself.
    await decryptedClaims(withCookie(`${cookie}x`), decrypt, now);
    expect(decryptions).toBe(2);
    // Past the token's expiry the cookie is decrypted again (and getToken refuses it).
    expect(await decryptedClaims(withCookie(cookie), async () => null, token.exp * 1000)).toBeNull();
  });

  it("keeps nothing of a cookie that does not decrypt", async () => {
    let decryptions = 0;
    const decrypt = async () => {
      decryptions += 1;
      return null;
    };
    const cookie = `authjs.session-token=garbage-${Math.random()}`;
    expect(await decryptedClaims(withCookie(cookie), decrypt, now)).toBeNull();
    expect(await decryptedClaims(withCookie(cookie), decrypt, now)).toBeNull();
    expect(decryptions).toBe(2);
  });
});
