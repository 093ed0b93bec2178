import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { proxy } from "@/proxy";
import { FORM_BODY_LIMIT_BYTES, FORM_TOO_LARGE_MESSAGE, FORM_UNREADABLE_MESSAGE } from "./limits";
import { CROSS_ORIGIN_MESSAGE } from "./origin";

// proxy.ts as a real deployment runs it: the configuration it reads at run time has an https AUTH_URL.
vi.mock("@/lib/env", () => ({ env: () => ({ NODE_ENV: "production", AUTH_URL: "https://consent.contoso.com" }) }));

function post(bytes: number): NextRequest {
  return new NextRequest("https://consent.contoso.com/admin/apps", { method: "POST", headers: { "content-length": String(bytes), "next-action": "00ab" } });
}

describe("proxy on an https portal", () => {
  it("sends HSTS with the CSP on pages and route handlers", async () => {
    for (const path of ["/signin", "/api/health"]) {
      const response = await proxy(new NextRequest(`https://consent.contoso.com${path}`));
      expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      expect(response.headers.get("content-security-policy")).toContain("'strict-dynamic'");
    }
  });

  it("sends a signed-out visitor of a signed-in area to sign-in before the page renders: a real 307 back to the same path and query, with HSTS", async () => {
    const response = await proxy(new NextRequest("https://consent.contoso.com/my-apps?q=okta"));
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("https://consent.contoso.com/signin?callbackUrl=%2Fmy-apps%3Fq%3Dokta");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("answers a post over the form limit with the plain message (exactly text/plain, which Next's client shows), HSTS included", async () => {
    const response = await proxy(post(FORM_BODY_LIMIT_BYTES + 1));
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(await response.text()).toBe(FORM_TOO_LARGE_MESSAGE);
  });

  it("lets a post up to the limit through to Next", async () => {
    const response = await proxy(post(FORM_BODY_LIMIT_BYTES));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });

  it("refuses a server action form whose field name holds a control character, in plain words; a clean form goes through", async () => {
    const form = (name: string) => {
      const body = `--b\r\nContent-Disposition: form-data; name="${name}"\r\n\r\nx\r\n--b--\r\n`;
      return new NextRequest("https://consent.contoso.com/admin/apps", { method: "POST", body, headers: { "content-type": "multipart/form-data; boundary=b", "next-action": "00ab" } });
    };
    const refused = await proxy(form("a\u0001b"));
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe(FORM_UNREADABLE_MESSAGE);
    expect((await proxy(form("justification"))).headers.get("x-middleware-next")).toBe("1");
  });

  it("refuses a server action posted with a null or another site's Origin with 403 in plain words; the portal's own goes through", async () => {
    const action = (origin: string) => new NextRequest("https://consent.contoso.com/admin/apps", { method: "POST", headers: { origin, "next-action": "00ab", "content-length": "10" } });
    for (const origin of ["null", "https://evil.example", "https://consent.contoso.com.evil.example"]) {
      const refused = await proxy(action(origin));
      expect(refused.status, origin).toBe(403);
      expect(await refused.text()).toBe(CROSS_ORIGIN_MESSAGE);
    }
    expect((await proxy(action("https://consent.contoso.com"))).headers.get("x-middleware-next")).toBe("1");
  });
});

