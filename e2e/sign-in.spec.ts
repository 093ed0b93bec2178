import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { idTokenClaims } from "../sim/issuer/accounts";
import type { IdTokenDefect } from "../sim/issuer/forge";
import { account, pickAccount, queryTestDatabase, signInAs } from "./helpers";
import { controlSecret, LOGIN } from "./simulator";

const homes = [
  { role: "Global Administrator", path: "/admin", heading: "Admin home", portalRole: "Admin" },
  { role: "Privileged Role Administrator", path: "/admin", heading: "Admin home", portalRole: "Admin" },
  { role: "Cloud Application Administrator", path: "/admin", heading: "Admin home", portalRole: "Admin" },
  { role: "Security Reader", path: "/review", heading: "Reviewer home", portalRole: "Reviewer" },
  { role: "User", path: "/my-apps", heading: "Hello, Riley Chen", portalRole: "User" },
];

for (const home of homes) {
  test(`${home.role} lands on the ${home.portalRole.toLowerCase()} home`, async ({ page }) => {
    const who = account(home.role);
    await signInAs(page, who);
    await expect(page).toHaveURL(home.path);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(home.heading);
    await expect(page.getByTestId("portal-role")).toHaveText(home.portalRole);
    if (home.portalRole !== "User") {
      await expect(page.getByTestId("entra-roles")).toHaveText(home.role);
      // Read from Microsoft Graph with the person's own delegated token.
      await expect(page.getByTestId("tenant-summary")).toHaveText(
        "Connected to Contoso (simulated) (contoso.onmicrosoft.com) through Microsoft Graph, as you.",
      );
    }
  });
}

test("a Cloud Application Administrator sees what their Entra role cannot do, with the reason", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  const capabilities = page.getByTestId("capabilities");
  await expect(capabilities.getByText("Grant Microsoft Graph application permissions")).toBeVisible();
  await expect(capabilities).toContainText("not with your role. Entra allows only Privileged Role Administrator or Global Administrator");
});

test("an account from another tenant is refused with a clear message and gets no session", async ({ page, context }) => {
  await page.goto("/signin");
  await pickAccount(page, account("User in another tenant"));
  await expect(page).toHaveURL(/\/auth\/error\?error=ForeignTenant/);
  await expect(page.getByRole("heading", { name: "Your account belongs to another organization" })).toBeVisible();
  const cookies = await context.cookies();
  expect(cookies.find((cookie) => cookie.name.includes("session-token"))).toBeUndefined();
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin/);
});

test("a signed-out visitor to a protected page is sent to sign-in and comes back after", async ({ page }) => {
  const response = await page.request.get("/review", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/signin?callbackUrl=%2Freview");

  await page.goto("/review");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Freview/);
  await pickAccount(page, account("Security Reader"));
  await expect(page).toHaveURL("/review");
});

/** A redirect's target on this site, path and query (the Location header may be absolute). */
const pathOf = (location: string | undefined) => {
  const url = new URL(location ?? "", "http://portal.invalid");
  return url.pathname + url.search;
};

test("a deep link keeps its query string through sign-in", async ({ page }) => {
  const response = await page.request.get("/my-apps?q=okta", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(pathOf(response.headers().location)).toBe("/signin?callbackUrl=%2Fmy-apps%3Fq%3Dokta");

  await page.goto("/my-apps?q=okta");
  await pickAccount(page, account("User"));
  await expect(page).toHaveURL("/my-apps?q=okta");

  const reader = await page.context().browser()!.newContext({ baseURL: test.info().project.use.baseURL });
  const other = await reader.newPage();
  await other.goto("/audit?actor=alex&sort=actor");
  await expect(other).toHaveURL(/\/signin\?callbackUrl=%2Faudit%3Factor%3Dalex%26sort%3Dactor/);
  await pickAccount(other, account("Security Reader"));
  await expect(other).toHaveURL("/audit?actor=alex&sort=actor");
  await expect(other.getByLabel("Actor (UPN, name or object ID)")).toHaveValue("alex");
  await reader.close();
});

test("a signed-out visitor to a page with a loading skeleton gets a real redirect to sign-in, before any of it", async ({ request }) => {
  for (const path of ["/admin/policies/user-consent", "/admin/apps/8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", "/my-apps/apps/8e0d5ae6-12fd-4a7e-b01f-a689fa119d94"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(pathOf(response.headers().location), path).toBe(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  }
});

test("a sign-in page asked to return to another site goes home instead (S1)", async ({ page }) => {
  for (const callbackUrl of ["https://evil.example/x", "//evil.example/x", "/\\evil.example"]) {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    await expect(page.locator('input[name="callbackUrl"]')).toHaveValue("/");
  }
});

test("a role that may not see a page gets the 403 page", async ({ page }) => {
  await signInAs(page, account("Security Reader"));
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "This page is not for your role" })).toBeVisible();
});

test("the session cookie is HttpOnly, SameSite and small, and holds no Graph token", async ({ page, context }) => {
  await signInAs(page, account("Global Administrator"));
  const session = (await context.cookies()).find((cookie) => cookie.name === "authjs.session-token");
  expect(session).toBeDefined();
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  expect((session?.name.length ?? 0) + (session?.value.length ?? 0)).toBeLessThan(4096);
  // The cookie is an encrypted JWT (JWE: five parts); a signed JWT with readable claims would have three.
  expect(session?.value.split(".")).toHaveLength(5);
});

test("sign-out ends the session on the server: the old cookie no longer works", async ({ page, context, browser }) => {
  await signInAs(page, account("Global Administrator"));
  const before = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toHaveText("You are signed out.");
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/signin/);

  // Replay the cookie from before sign-out in a fresh browser context.
  const replay = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await replay.addCookies(before);
  const response = await replay.request.get("/admin", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/signin");
  await replay.close();
});

test("another site cannot sign a visitor out (S3): its post is refused and the session goes on", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  const refused = await page.request.post("/auth/sign-out", { headers: { Origin: "https://attacker.example" }, maxRedirects: 0 });
  expect(refused.status()).toBe(403);
  const stillIn = await page.request.get("/admin", { maxRedirects: 0 });
  expect(stillIn.status()).toBe(200);
});

test("Graph tokens are stored sealed: no session row holds a readable token (S6)", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  // The admin home has called Graph, so the session row now holds refreshed tokens too.
  await expect(page.getByTestId("tenant-summary")).toContainText("Connected to");
  const rows = await queryTestDatabase<{ id: string; oid: string; tid: string; upn: string; cipher: string | null }>(
    `SELECT id, oid, tid, upn, encode("tokenCipher", 'escape') AS cipher FROM "UserSession"`,
  );
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((row) => typeof row.cipher === "string" && row.cipher.length > 100)).toBe(true);
  // A JWT in plain text: two base64url segments that each open with `{"` (eyJ), joined by a dot.
  // Looser patterns such as a bare "eyJ" turn up by chance in kilobytes of random ciphertext.
  expect(JSON.stringify(rows)).not.toMatch(/eyJ[\w-]{8,}\.eyJ/);
});

async function userSessionCount(): Promise<number> {
  const rows = await queryTestDatabase<{ count: string }>(`SELECT count(*) AS count FROM "UserSession"`);
  return Number(rows[0]?.count);
}

/** Tells the simulated issuer to forge the next sign-in's ID token with `defect` (null: genuine again). */
async function forgeNextIdToken(page: Page, defect: IdTokenDefect | null) {
  const reply = await page.request.post(`${LOGIN}/_sim/next-id-token`, { data: { defect }, headers: { "x-sim-control": controlSecret() } });
  expect(reply.status(), await reply.text()).toBe(200);
}

/** No session cookie, and a protected page sends the browser to sign-in. */
async function expectSignedOut(context: BrowserContext) {
  expect((await context.cookies()).find((cookie) => cookie.name.includes("session-token"))).toBeUndefined();
  const response = await context.request.get("/admin", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/signin");
}

test("sign-in sends state, nonce and a PKCE challenge to the tenant (S2)", async ({ page }) => {
  await page.goto("/signin");
  const authorize = page.waitForRequest((request) => request.url().startsWith(LOGIN) && new URL(request.url()).pathname.endsWith("/v2.0/auth"));
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  const params = new URL((await authorize).url()).searchParams;
  expect(params.get("state")?.length).toBeGreaterThan(20);
  expect(params.get("nonce")?.length).toBeGreaterThan(20);
  expect(params.get("code_challenge_method")).toBe("S256");
  expect(params.get("code_challenge")?.length).toBeGreaterThan(20);
});

test.describe("forged ID tokens through the real callback (S2)", () => {
  test.afterEach(async ({ page }) => {
    await forgeNextIdToken(page, null);
  });

  const forgeries: { defect: IdTokenDefect; heading: string }[] = [
    // The portal's own checks refuse these, with their own message.
    { defect: "foreign-tenant", heading: "Your account belongs to another organization" },
    { defect: "personal-account", heading: "Your account belongs to another organization" },
    { defect: "bad-signature", heading: "Sign-in response could not be verified" },
    // Auth.js refuses these before the portal's checks run (its checks of iss, aud, exp and nonce).
    { defect: "wrong-audience", heading: "The portal could not complete sign-in" },
    { defect: "wrong-issuer", heading: "The portal could not complete sign-in" },
    { defect: "expired", heading: "The portal could not complete sign-in" },
    { defect: "missing-nonce", heading: "The portal could not complete sign-in" },
    { defect: "wrong-nonce", heading: "The portal could not complete sign-in" },
  ];

  for (const { defect, heading } of forgeries) {
    test(`an ID token with ${defect} is refused and makes no session`, async ({ page, context }) => {
      const before = await userSessionCount();
      await forgeNextIdToken(page, defect);
      await page.goto("/signin");
      await pickAccount(page, account("Global Administrator"));
      await expect(page).toHaveURL(/\/auth\/error\?error=/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      await expectSignedOut(context);
      expect(await userSessionCount()).toBe(before);
    });
  }

  test("the same sign-in with a genuine ID token works, so the refusals above are the defects'", async ({ page }) => {
    const before = await userSessionCount();
    await signInAs(page, account("Global Administrator"));
    expect(await userSessionCount()).toBe(before + 1);
  });
});

test("a sign-in response opened in another browser is refused (S2): the state and PKCE cookies stay with the browser that started it", async ({ page, browser }) => {
  // Go through the tenant's screens without following the last redirect: its Location is the portal's
  // callback with code and state, the link a login-CSRF attacker would send to someone else.
  const who = account("Global Administrator");
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  const sub = idTokenClaims(who).sub;
  const action = await page.locator(`form:has(input[name="sub"][value="${sub}"])`).getAttribute("action");
  let reply = await page.request.post(new URL(action ?? "", LOGIN).href, { form: { sub }, maxRedirects: 0 });
  reply = await page.request.get(new URL(reply.headers().location ?? "", LOGIN).href, { maxRedirects: 0 });
  const callback = reply.headers().location ?? "";
  expect(new URL(callback).pathname).toBe("/api/auth/callback/microsoft-entra-id");
  expect(new URL(callback).searchParams.get("state")).toBeTruthy();

  const before = await userSessionCount();
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const victim = await other.newPage();
  await victim.goto(callback);
  await expect(victim).toHaveURL(/\/auth\/error\?error=/);
  await expectSignedOut(other);
  expect(await userSessionCount()).toBe(before);
  await other.close();

  // The refusal came before the code was redeemed: in the browser that started it, it still signs in.
  await page.goto(callback);
  await expect(page.getByTestId("signed-in-name")).toHaveText(who.displayName);
  expect(await userSessionCount()).toBe(before + 1);
});
