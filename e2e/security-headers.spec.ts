import { expect, test, type Page } from "@playwright/test";
import { account, signInAs, type SeededAccount } from "./helpers";

// S7 against the production build: the headers every response carries, a nonce that is new on every
// request and on every script Next renders, and real pages that run under that policy without a
// single violation.

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name!, values.join(" ")]));
}

function nonceOf(policy: string): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(directives(policy).get("script-src") ?? "")?.[1];
  expect(nonce, policy).toBeTruthy();
  return nonce!;
}

test("every response carries the CSP, and each request gets a nonce of its own that the page's scripts carry", async ({ request }) => {
  const first = await request.get("/signin");
  const second = await request.get("/signin");
  const nonces: string[] = [];
  for (const response of [first, second]) {
    expect(response.status()).toBe(200);
    const headers = response.headers();
    const policy = directives(headers["content-security-policy"] ?? "");
    expect(policy.get("script-src")).toMatch(/^'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'$/);
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("base-uri")).toBe("'none'");
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    const nonce = nonceOf(headers["content-security-policy"]!);
    nonces.push(nonce);
    // Next puts the request's nonce on every script it renders; none is left without it.
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  }
  expect(nonces[0]).not.toBe(nonces[1]);

  // Route handlers and the health check are covered too, not only pages.
  const health = await request.get("/api/health");
  expect(health.headers()["content-security-policy"]).toContain("object-src 'none'");

  // The test portal is served on plain http (AUTH_URL http://localhost): no HSTS, which would pin
  // localhost to https in the browser for a year. An https AUTH_URL gets it (lib/http/proxy.test.ts).
  for (const response of [first, second, health]) expect(response.headers()["strict-transport-security"]).toBeUndefined();
});

/** Collects CSP violations as the browser reports them: the DOM event and the console message. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(`console: ${message.text()}`);
  });
  await page.exposeFunction("reportCspViolation", (text: string) => seen.push(`event: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${location.pathname}: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return seen;
}

const NYLAS = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
const CRAWL: { who: SeededAccount; pages: string[] }[] = [
  {
    who: account("Global Administrator"),
    pages: [
      "/admin",
      "/admin/apps",
      `/admin/apps/${NYLAS}`,
      `/admin/apps/${NYLAS}/grant`,
      `/admin/apps/${NYLAS}/revoke`,
      `/admin/apps/${NYLAS}/access`,
      `/admin/apps/${NYLAS}/consent-link`,
      "/admin/entra-requests",
      "/admin/policies",
      "/admin/policies/user-consent",
      "/admin/policies/consent-workflow",
      "/admin/requests",
      "/audit",
    ],
  },
  { who: account("User"), pages: ["/my-apps", `/my-apps/apps/${NYLAS}`, "/my-apps/troubleshoot"] },
  { who: account("Security Reader"), pages: ["/review", "/audit"] },
];

for (const { who, pages } of CRAWL) {
  test(`${who.displayName} (${who.roleLabel}) signs in and browses without a CSP violation; the pages are not cached`, async ({ page }) => {
    test.setTimeout(90_000);
    const violations = await watchViolations(page);
    await signInAs(page, who);
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()["cache-control"], path).toContain("no-store");
      await expect(page.getByTestId("signed-in-name")).toHaveText(who.displayName);
      // The framework's scripts ran (hydration sets window.next): the nonce let them through.
      await page.waitForFunction(() => "next" in window);
    }
    expect(violations).toEqual([]);
  });
}
