import { describe, expect, it } from "vitest";
import { claimsOfToken, openVerifiedSession, sealVerifiedSession, VERIFIED_SESSION_TTL_MS, type VerifiedClaims } from "./verified-session";

const SECRET = "a-test-secret-of-enough-length-for-auth-js";
const COOKIE = "authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0.abc";
const CLAIMS: VerifiedClaims = {
  sid: "7d1c7c9e-44a4-4d34-9b0a-5b8f1c2d3e4f",
  oid: "0c2b5b3a-9c41-4d6e-8f1a-2b3c4d5e6f70",
  tid: "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a",
  name: "Riley Chen",
  upn: "riley@contoso.example",
  wids: [],
  exp: 1_900_000_000,
};
const NOW = 1_800_000_000_000;

describe("a session the proxy verified, handed to the page", () => {
  it("opens to the same claims for the same cookie while in date", () => {
    const value = sealVerifiedSession(CLAIMS, COOKIE, SECRET, NOW);
    expect(openVerifiedSession(value, COOKIE, SECRET, NOW + VERIFIED_SESSION_TTL_MS - 1)).toEqual(CLAIMS);
  });

  it("is worth nothing once out of date", () => {
    const value = sealVerifiedSession(CLAIMS, COOKIE, SECRET, NOW);
    expect(openVerifiedSession(value, COOKIE, SECRET, NOW + VERIFIED_SESSION_TTL_MS)).toBeNull();
  });

  it("is worth nothing with another cookie (it cannot be moved to another visitor's request)", () => {
    const value = sealVerifiedSession(CLAIMS, COOKIE, SECRET, NOW);
    expect(openVerifiedSession(value, `${COOKIE}x`, SECRET, NOW)).toBeNull();
    expect(openVerifiedSession(value, null, SECRET, NOW)).toBeNull();
  });

  it("cannot be made or altered without the secret", () => {
    const value = sealVerifiedSession(CLAIMS, COOKIE, SECRET, NOW);
    expect(openVerifiedSession(value, COOKIE, `${SECRET}x`, NOW)).toBeNull();
    const [, mac] = value.split(".");
    const asAdmin = Buffer.from(JSON.stringify({ ...CLAIMS, wids: ["62e90394-69f5-4237-9190-012177145e10"], until: NOW + 1000 })).toString("base64url");
    expect(openVerifiedSession(`${asAdmin}.${mac}`, COOKIE, SECRET, NOW)).toBeNull();
    for (const forged of ["", ".", "x", `${asAdmin}.`, `${asAdmin}`]) expect(openVerifiedSession(forged, COOKIE, SECRET, NOW)).toBeNull();
  });
});

describe("claimsOfToken", () => {
  it("needs a session id and a person", () => {
    expect(claimsOfToken(null)).toBeNull();
    expect(claimsOfToken({ oid: CLAIMS.oid })).toBeNull();
    expect(claimsOfToken({ sid: CLAIMS.sid, oid: "" })).toBeNull();
    const token: Parameters<typeof claimsOfToken>[0] & { iat: number } = { ...CLAIMS, iat: 1 };
    expect(claimsOfToken(token)).toEqual(CLAIMS);
  });
});
