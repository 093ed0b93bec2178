import { expect, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, queryTestDatabase, signInAs } from "./helpers";
import { graphGet, graphToken, resetSimulator } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;

async function servicePrincipals(app: string): Promise<number> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  return (await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`)).value.length;
}

/** The audit trail's consent-link returns: how many, and the newest. */
async function consentReturns(): Promise<{ count: number; latest: { outcome: string; after: { error?: string; description?: string } } | null }> {
  const rows = await queryTestDatabase<{ outcome: string; after: { error?: string; description?: string } }>(
    `SELECT outcome, after FROM "AuditEvent" WHERE action = 'adminConsentLink.return' ORDER BY seq DESC`,
  );
  return { count: rows.length, latest: rows[0] ?? null };
}

/** Makes the app's consent link and returns its `state`. */
async function makeConsentLink(page: Page): Promise<string> {
  await page.goto(`/admin/apps/${NYLAS}/consent-link`);
  await page.getByRole("button", { name: "Make the consent link" }).click();
  await expect(page.getByTestId("consent-url")).toHaveValue(/\/v2\.0\/adminconsent\?client_id=/);
  return new URL(await page.getByTestId("consent-url").inputValue()).searchParams.get("state") ?? "";
}

async function openConsentScreen(page: Page) {
  await makeConsentLink(page);
  await page.getByRole("link", { name: "Open the consent screen" }).click();
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await page.getByLabel("Sign in as").selectOption(account("Global Administrator").id);
}

test.beforeEach(async () => {
  await resetSimulator();
});

test("an admin consents through Entra's screen and the callback shows what is granted now", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await openConsentScreen(page);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/\/admin\/consent-callback\?/);
  await expect(page.getByTestId("consent-outcome")).toContainText("Consent granted");
  await expect(page.getByTestId("granted-now")).toContainText("Mail.ReadWrite");
  // The grouped list the previews use: by API, then by risk, the high-risk group open.
  const granted = page.getByTestId("granted-now").getByRole("region", { name: "Granted on Microsoft Graph" });
  await expect(granted.locator('[data-testid="permission-group"][data-risk="High"][open]')).toContainText("Mail.ReadWrite");
  expect(await servicePrincipals(NYLAS)).toBe(1);
});

test("a declined consent is explained and nothing is granted", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await openConsentScreen(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("consent-outcome")).toContainText("Consent was declined on the consent screen.");
  expect(await servicePrincipals(NYLAS)).toBe(0);
});

test("a callback whose state was not issued to this session is refused and changes nothing, not even the audit trail (S4)", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  // With a link of its own made first, so the session does hold a state cookie: just not this state.
  await makeConsentLink(page);
  const before = await consentReturns();
  await page.goto(`/admin/consent-callback?admin_consent=True&tenant=2f4a9e1b-7c3d-4e5f-8a9b-0c1d2e3f4a5b&state=forged-state`);
  await expect(page.getByRole("heading", { name: "This consent response cannot be trusted" })).toBeVisible();
  await page.goto(`/admin/consent-callback?error=access_denied&error_description=${"spam ".repeat(400)}&state=forged-state`);
  await expect(page.getByRole("heading", { name: "This consent response cannot be trusted" })).toBeVisible();
  await expect(page.getByText("spam spam")).toHaveCount(0);
  expect(await servicePrincipals(NYLAS)).toBe(0);
  expect((await consentReturns()).count).toBe(before.count);
});

test("a callback is accepted once: the same URL again is refused and records nothing (S20)", async ({ page, browser }) => {
  await signInAs(page, account("Global Administrator"));
  await openConsentScreen(page);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("consent-outcome")).toContainText("Consent granted");
  const callback = page.url();
  const after = await consentReturns();
  expect(after.latest?.outcome).toBe("succeeded");

  // The same browser, cookie and all.
  await page.goto(callback);
  await expect(page.getByRole("heading", { name: "This consent response cannot be trusted" })).toBeVisible();
  await expect(page.getByText("already been received once")).toBeVisible();
  // Another browser with the admin's cookies copied: the server's record refuses it too.
  const copy = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await copy.addCookies(await page.context().cookies());
  const other = await copy.newPage();
  await other.goto(callback);
  await expect(other.getByRole("heading", { name: "This consent response cannot be trusted" })).toBeVisible();
  await copy.close();

  expect((await consentReturns()).count).toBe(after.count);
});

test("a long error_description is cut to 500 characters on the page and in the audit trail", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  const state = await makeConsentLink(page);
  const before = await consentReturns();
  const description = `AADSTS12345: ${"z".repeat(1990)}`;
  await page.goto(`/admin/consent-callback?${new URLSearchParams({ error: "server_error", error_description: description, state })}`);
  const outcome = page.getByTestId("consent-outcome");
  await expect(outcome).toContainText("Consent did not complete (server_error).");
  const shown = (await outcome.textContent()) ?? "";
  expect(shown).toContain("Entra said: AADSTS12345: zzz");
  expect(shown.match(/z+/)?.[0].length).toBe(500 - "AADSTS12345: ".length - 1);

  const after = await consentReturns();
  expect(after.count).toBe(before.count + 1);
  expect(after.latest).toMatchObject({ outcome: "failed", after: { error: "server_error" } });
  expect(after.latest?.after.description).toHaveLength(500);
});
