import { describe, expect, it } from "vitest";
import type { TenantConfig } from "@/lib/env";
import { consentCallbackSchema, ERROR_DESCRIPTION_MAX } from "@/lib/validations/consent-link";
import { adminConsentUrl, checkState, explainConsentError, issueState } from "./consent-link";

const tenant: TenantConfig = {
  mode: "real",
  tenantId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  issuer: "https://login.microsoftonline.com/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/v2.0",
  clientId: "11111111-2222-4333-8444-555555555555",
  clientSecret: "s",
  graphBaseUrl: "https://graph.microsoft.com",
};
const secret = "a-test-secret-that-is-long-enough-123";

describe("adminConsentUrl", () => {
  it("is tenant-specific, never common", () => {
    const url = new URL(adminConsentUrl(tenant, { appId: "c34c8d7f-38d7-4af6-9d0d-7fbcd7fa5f74", redirectUri: "https://portal/cb", state: "s1" }));
    expect(url.origin + url.pathname).toBe("https://login.microsoftonline.com/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/v2.0/adminconsent");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: "c34c8d7f-38d7-4af6-9d0d-7fbcd7fa5f74",
      scope: "https://graph.microsoft.com/.default",
      redirect_uri: "https://portal/cb",
      state: "s1",
    });
  });
});

describe("state (bound to the session)", () => {
  const issued = issueState({ sessionId: "sid-1", appId: "app-1", secret, now: 1_000_000 });

  it("expires 15 minutes after it was issued, as the cookie says", () => {
    expect(issued.expiresAt.getTime()).toBe(1_000_000 + 15 * 60_000);
  });

  it("accepts its own round trip", () => {
    expect(checkState({ returned: issued.state, cookie: issued.cookie, sessionId: "sid-1", secret, now: 1_000_000 })).toEqual({ ok: true, appId: "app-1" });
  });

  it.each([
    ["another session", { sessionId: "sid-2" }, "forged"],
    ["another state", { returned: "other" }, "mismatch"],
    ["no state", { returned: null }, "missing"],
    ["no cookie", { cookie: undefined }, "missing"],
    ["a late return", { now: 1_000_000 + 16 * 60_000 }, "expired"],
    ["a tampered cookie", { cookie: issued.cookie.replace("app-1", "app-2") }, "forged"],
  ])("refuses %s", (_label, change, reason) => {
    expect(checkState({ returned: issued.state, cookie: issued.cookie, sessionId: "sid-1", secret, now: 1_000_000, ...change })).toEqual({ ok: false, reason });
  });
});

describe("explainConsentError", () => {
  it("explains a declined consent", () => {
    expect(explainConsentError("access_denied", "AADSTS65004: User declined to consent to access the app.").title).toBe("Consent was declined on the consent screen.");
  });
  it("falls back to Entra's words", () => {
    expect(explainConsentError("server_error", "AADSTS12345: odd").next).toContain("AADSTS12345");
  });
});

describe("consentCallbackSchema", () => {
  it("cuts a caller-chosen error_description to its cap and drops invisible and control characters", () => {
    const parsed = consentCallbackSchema.parse({ error: "access_denied", error_description: `AADSTS65004: ${"x".repeat(1990)}`, state: "s" });
    expect(parsed.error_description).toHaveLength(ERROR_DESCRIPTION_MAX);
    expect(parsed.error_description?.endsWith("…")).toBe(true);
    expect(consentCallbackSchema.parse({ error_description: "a\u202Eb\u200Bc\u0007d\n" }).error_description).toBe("abcd");
  });

  it("keeps Entra's own descriptions whole", () => {
    const description = "AADSTS65004: User declined to consent to access the app. Trace ID: 0 Correlation ID: 0 Timestamp: 2026-11-26 10:00:00Z";
    expect(consentCallbackSchema.parse({ error_description: description }).error_description).toBe(description);
  });

  it("refuses an error code that is not a code", () => {
    expect(consentCallbackSchema.safeParse({ error: "<script>" }).success).toBe(false);
  });
});
