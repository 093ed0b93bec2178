import { describe, expect, it } from "vitest";
import { originVerdict, portalOrigin } from "./origin";

const PORTAL = "https://consent.contoso.com";

function verdict(headers: Record<string, string>, expected: string | null = PORTAL) {
  return originVerdict(new Headers(headers), expected);
}

describe("portalOrigin", () => {
  it("is AUTH_URL's origin, without path or default port", () => {
    expect(portalOrigin("https://consent.contoso.com:443/portal/")).toBe(PORTAL);
    expect(portalOrigin("http://localhost:3100")).toBe("http://localhost:3100");
    expect(portalOrigin(undefined)).toBeNull();
  });
});

describe("originVerdict", () => {
  it("accepts the portal's own origin", () => {
    expect(verdict({ origin: PORTAL })).toBe("same-origin");
    expect(verdict({ origin: "HTTPS://Consent.Contoso.com" })).toBe("same-origin");
  });

  it("refuses a missing or empty Origin", () => {
    expect(verdict({})).toBe("missing");
    expect(verdict({ origin: " " })).toBe("missing");
  });

  it("refuses Origin: null (sandboxed frames, file: pages, some redirects)", () => {
    expect(verdict({ origin: "null" })).toBe("null");
  });

  it.each([
    "https://evil.example",
    "http://consent.contoso.com",
    "https://consent.contoso.com:8443",
    "https://consent.contoso.com.evil.example",
    "https://evil.example/https://consent.contoso.com",
    "https://consent.contoso.com/path",
    "not a url",
  ])("refuses %s", (origin) => {
    expect(verdict({ origin, host: "consent.contoso.com" })).toBe("foreign");
  });

  it("without AUTH_URL, compares with the host the request was addressed to", () => {
    expect(verdict({ origin: "http://localhost:3000", host: "localhost:3000" }, null)).toBe("same-origin");
    expect(verdict({ origin: "https://consent.contoso.com", host: "10.0.0.4:3000", "x-forwarded-host": "consent.contoso.com" }, null)).toBe("same-origin");
    expect(verdict({ origin: "https://evil.example", host: "localhost:3000" }, null)).toBe("foreign");
    expect(verdict({ origin: "https://evil.example" }, null)).toBe("foreign");
  });
});
