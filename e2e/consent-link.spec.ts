import { expect, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs } from "./helpers";
import { graphGet, graphToken, resetSimulator } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;

async function servicePrincipals(app: string): Promise<number> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  return (await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`)).value.length;
}

async function openConsentScreen(page: Page) {
  await page.goto(`/admin/apps/${NYLAS}/consent-link`);
  await page.getByRole("button", { name: "Make the consent link" }).click();
  await expect(page.getByTestId("consent-url")).toHaveValue(/\/v2\.0\/adminconsent\?client_id=/);
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
  expect(await servicePrincipals(NYLAS)).toBe(1);
});

test("a declined consent is explained and nothing is granted", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await openConsentScreen(page);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("consent-outcome")).toContainText("Consent was declined on the consent screen.");
  expect(await servicePrincipals(NYLAS)).toBe(0);
});

test("a callback whose state was not issued to this session is refused and changes nothing (S4)", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/consent-callback?admin_consent=True&tenant=2f4a9e1b-7c3d-4e5f-8a9b-0c1d2e3f4a5b&state=forged-state`);
  await expect(page.getByRole("heading", { name: "This consent response cannot be trusted" })).toBeVisible();
  expect(await servicePrincipals(NYLAS)).toBe(0);
});
