import { expect, test, type Page } from "@playwright/test";
import vendorApps from "../sim/fixtures/vendor-apps.json";
import tenant from "../sim/fixtures/tenant.json";
import { account, type SeededAccount } from "./helpers";
import { graphGet, graphToken, LOGIN, resetSimulator } from "./simulator";

const appId = (name: string) => vendorApps.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
const OKTA_ADMIN = appId("Office 365 Admin for Okta Workflows");

async function trySignIn(page: Page, who: SeededAccount, app: string) {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(who.id);
  await page.getByLabel("App").selectOption(app);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function adminConsent(page: Page, who: SeededAccount, app: string, decision: "Accept" | "Cancel") {
  await page.goto(`${LOGIN}/${tenant.tenantId}/v2.0/adminconsent?client_id=${app}`);
  await page.getByLabel("Sign in as").selectOption(who.id);
  await page.getByRole("button", { name: decision }).click();
}

test.beforeEach(async () => {
  await resetSimulator();
});

test("a user needs admin approval for Nylas until an admin consents for the organization", async ({ page }) => {
  const riley = account("User");
  await trySignIn(page, riley, NYLAS);
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");
  await expect(page.getByTestId("error-details")).toContainText("AADSTS90094");
  await expect(page.getByTestId("error-details")).toContainText(`App ID: ${NYLAS}`);

  await adminConsent(page, account("Global Administrator"), NYLAS, "Accept");
  await expect(page.getByTestId("outcome")).toHaveText("Consent granted");

  // The tenant, read back through Graph: Nylas has a service principal and one tenant-wide grant.
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  expect(sps.value).toHaveLength(1);
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sps.value[0]!.id}'`);
  expect(grants.value).toHaveLength(1);
  expect(grants.value[0]!.consentType).toBe("AllPrincipals");
  expect(grants.value[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"]));

  await trySignIn(page, riley, NYLAS);
  await expect(page.getByTestId("outcome")).toHaveText("You're signed in to Nylas");
});

test("declining the admin-consent screen grants nothing", async ({ page }) => {
  await adminConsent(page, account("Global Administrator"), NYLAS, "Cancel");
  await expect(page.getByTestId("outcome")).toHaveText("Consent was declined");
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  const sps = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  expect(sps.value).toHaveLength(0);
});

test("a Cloud Application Administrator cannot grant Microsoft Graph application permissions on the consent screen", async ({ page }) => {
  await adminConsent(page, account("Cloud Application Administrator"), OKTA_ADMIN, "Accept");
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  const sps = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${OKTA_ADMIN}'`);
  expect(sps.value).toHaveLength(0);
});
