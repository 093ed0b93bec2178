import { expect, test, type Page } from "@playwright/test";
import users from "../sim/fixtures/users.json";
import tenant from "../sim/fixtures/tenant.json";
import vendorApps from "../sim/fixtures/vendor-apps.json";
import { account, docsScreenshot, signInAs, type SeededAccount } from "./helpers";
import { graphGet, graphSend, graphToken, LOGIN, resetSimulator } from "./simulator";

/**
 * Seed 001, "Prohibit users from creating connections", done so that it holds: the Okta Mail app is
 * deleted only with the warning that users can consent to it again (the tenant lets them), or blocked,
 * after which Riley Chen cannot consent to it any more.
 */
const OKTA = vendorApps.apps.find((app) => app.displayName === "Office 365 Mail for Okta Workflows")!;
const OKTA_NAME = OKTA.displayName;
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
const SALES = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const RILEY = account("User");
const JORDAN = users.find((user) => user.displayName === "Jordan Diaz")!;
const JUSTIFICATION = "Okta Workflows retired, ticket IT-7001";

async function trySignIn(page: Page, who: SeededAccount) {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(who.id);
  await page.getByLabel("App").selectOption(OKTA.appId);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/**
 * The tenant of the issue, made through Graph and the simulated sign-in pages: Okta's Mail set is
 * classified low impact (seed 000 option 3), an admin consented for everyone, Jordan Diaz used the app
 * through that grant (the sign-in log knows it), Riley Chen has a consent of her own, and Sales is assigned.
 */
async function seedOkta(page: Page) {
  const classifier = await graphToken(account("Cloud Application Administrator"), "Policy.ReadWrite.PermissionGrant Application.Read.All");
  for (const permissionName of ["offline_access", "Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared"]) {
    await graphSend(classifier, "POST", "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications", { permissionName, classification: "low" });
  }
  await page.goto(`${LOGIN}/${tenant.tenantId}/v2.0/adminconsent?client_id=${OKTA.appId}`);
  await page.getByLabel("Sign in as").selectOption(account("Global Administrator").id);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("outcome")).toHaveText("Consent granted");
  await trySignIn(page, JORDAN);
  await expect(page.getByTestId("outcome")).toHaveText(`You're signed in to ${OKTA_NAME}`);

  const admin = await graphToken(account("Global Administrator"), "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Directory.Read.All");
  const sp = await servicePrincipal();
  await graphSend(admin, "POST", "/oauth2PermissionGrants", { clientId: sp!.id, consentType: "Principal", principalId: RILEY.id, resourceId: GRAPH_SP, scope: "Calendars.Read" });
  await graphSend(admin, "POST", `/servicePrincipals/${sp!.id}/appRoleAssignedTo`, { principalId: SALES, resourceId: sp!.id, appRoleId: "00000000-0000-0000-0000-000000000000" });
}

type Sp = { id: string; accountEnabled: boolean; appRoleAssignmentRequired: boolean };

/** The Okta app's service principal and grants, read back through Graph as a reader. */
async function servicePrincipal(): Promise<Sp | null> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const found = await graphGet<{ value: Sp[] }>(token, `/servicePrincipals?$filter=appId eq '${OKTA.appId}'&$select=id,accountEnabled,appRoleAssignmentRequired`);
  return found.value[0] ?? null;
}
async function grantsOf(spId: string) {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  return (await graphGet<{ value: unknown[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${spId}'`)).value;
}

async function previewDeletion(page: Page) {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${OKTA.appId}/revoke`);
  await page.getByRole("checkbox", { name: /Delete Office 365 Mail for Okta Workflows's service principal/ }).check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("revoke-preview")).toBeVisible();
}

test.beforeEach(async () => {
  await resetSimulator();
});

test("deleting the Okta app warns that users can consent again and names everyone; blocking it instead keeps Riley out", async ({ page }) => {
  await seedOkta(page);
  await previewDeletion(page);

  const warning = page.getByTestId("consent-again-warning");
  await expect(warning).toContainText("they can consent to it again right away");
  await expect(warning).toContainText("Mail.ReadWrite");
  await expect(warning).toContainText("its publisher is verified");
  await expect(page.getByTestId("affected-user")).toHaveText([/Riley Chen .*Calendars\.Read/]);
  await expect(page.getByTestId("tenant-wide-user")).toHaveText([/Jordan Diaz .*Signed in through the tenant-wide grant/]);
  await expect(page.getByTestId("affected-assignments")).toContainText("Sales (group)");
  await docsScreenshot(page, "prohibit-preview");

  await page.getByTestId("block-instead").click();
  await expect(page.getByTestId("blocks-app")).toContainText("Sign-in disabled");
  await expect(page.getByTestId("tenant-wide-user")).toHaveText([/Jordan Diaz/]);
  await expect(page.getByTestId("consent-again-warning")).toHaveCount(0);
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: `Block ${OKTA_NAME}` }).click();
  await expect(page.getByTestId("result-message")).toHaveText(`${OKTA_NAME} is blocked: sign-in is disabled, assignment is required and its grants are removed.`);

  // The tenant, read back through Graph: still there, nobody can sign in, nothing granted.
  const sp = await servicePrincipal();
  expect(sp).toMatchObject({ accountEnabled: false, appRoleAssignmentRequired: true });
  expect(await grantsOf(sp!.id)).toEqual([]);

  // What Riley sees: no consent prompt, the app is blocked.
  await trySignIn(page, RILEY);
  await expect(page.getByTestId("outcome")).toHaveText("Sorry, you can't use this app");
  await expect(page.getByTestId("error-details")).toContainText("AADSTS7000112");

  // The app page remembers what happened.
  await page.goto(`/admin/apps/${OKTA.appId}`);
  await expect(page.getByTestId("sign-in-state")).toHaveText("Disabled: nobody can sign in");
  await expect(page.getByTestId("last-change")).toContainText(`Blocked by Casey Jensen`);
  await expect(page.getByTestId("last-change")).toContainText(`“${JUSTIFICATION}”): sign-in disabled, assignment required, grants removed.`);
});

test("deleting anyway needs a second confirmation, says users can consent again, and the app page remembers why", async ({ page }) => {
  await seedOkta(page);
  await previewDeletion(page);
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  const confirmation = page.getByRole("checkbox", { name: /Delete Office 365 Mail for Okta Workflows anyway/ });
  await expect(confirmation).not.toBeChecked();
  await page.getByRole("button", { name: "Delete the app from the tenant" }).click();
  // Not confirmed: the browser keeps the form, and the app is still there.
  await expect(page.getByTestId("result-message")).toHaveCount(0);
  expect(await servicePrincipal()).not.toBeNull();

  await confirmation.check();
  await page.getByRole("button", { name: "Delete the app from the tenant" }).click();
  await expect(page.getByTestId("result-message")).toHaveText(`${OKTA_NAME} was deleted from the tenant.`);
  await expect(page.getByTestId("result-warning")).toContainText(`Users can consent to ${OKTA_NAME} again`);
  expect(await servicePrincipal()).toBeNull();

  // What the portal warned of: Riley gets a consent prompt and the app is back with her consent.
  await trySignIn(page, RILEY);
  await expect(page.getByTestId("outcome")).toHaveText("Permissions requested");

  await page.goto(`/admin/apps/${OKTA.appId}`);
  await expect(page.getByTestId("sp-state")).toHaveText("Not in the tenant: deleted (see the last change below)");
  await expect(page.getByTestId("last-change")).toContainText("Deleted by Casey Jensen on");
  await expect(page.getByTestId("last-change")).toContainText("Users could consent again because the tenant's user consent setting lets every user consent");
});
