import { describe, expect, it } from "vitest";
import { isSignedInArea, signInPathFor } from "./signed-in-only";

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
