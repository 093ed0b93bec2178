import { expect, test } from "@playwright/test";
import pg from "pg";
import { account, pickAccount, signInAs, testDatabaseUrl } from "./helpers";

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

test("Graph tokens are stored sealed: no session row holds a readable token (S6)", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  // The admin home has called Graph, so the session row now holds refreshed tokens too.
  await expect(page.getByTestId("tenant-summary")).toContainText("Connected to");
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT id, oid, tid, upn, encode("tokenCipher", 'escape') AS cipher FROM "UserSession"`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => typeof row.cipher === "string" && row.cipher.length > 100)).toBe(true);
    // A JWT in plain text: two base64url segments that each open with `{"` (eyJ), joined by a dot.
    // Looser patterns such as a bare "eyJ" turn up by chance in kilobytes of random ciphertext.
    expect(JSON.stringify(rows)).not.toMatch(/eyJ[\w-]{8,}\.eyJ/);
  } finally {
    await client.end();
  }
});
