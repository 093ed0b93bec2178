import { expect, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs } from "./helpers";
import { clearFaults, graphGet, graphToken, resetSimulator } from "./simulator";

/**
 * Every wizard's confirm button waits in a bar at the bottom of the viewport, so a long preview (Office 365
 * Admin for Okta Workflows asks for 65 permissions) is confirmed without scrolling past it. The bar is part
 * of the one confirm form: the justification is still required, Tab reaches the button after it, and at
 * the end of the page the bar covers nothing.
 */

test.use({ viewport: { width: 1280, height: 720 } });

const OKTA_ADMIN = catalog.apps.find((app) => app.displayName === "Office 365 Admin for Okta Workflows")!;
const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const WANTED = OKTA_ADMIN.permissions.find((p) => p.resourceAppId === GRAPH_API)!;
const GRANT_BUTTON = "Grant 65 permissions to all users";

/** The app's tenant-wide grants and application permissions, read back through the simulator's Graph. */
async function tenantState(app: string) {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`);
  const sp = sps.value[0];
  if (!sp) return { tenantWideScopes: [] as string[], appRoles: 0 };
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  const roles = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals/${sp.id}/appRoleAssignments`);
  const tenantWide = grants.value.filter((grant) => grant.consentType === "AllPrincipals");
  return { tenantWideScopes: tenantWide.flatMap((grant) => grant.scope.split(" ").filter(Boolean)).sort(), appRoles: roles.value.length };
}

async function scrollY(page: Page): Promise<number> {
  return page.evaluate(() => window.scrollY);
}

/** The bar's top edge: nothing the admin must read or fill may lie below it once scrolled into view. */
async function barTop(page: Page): Promise<number> {
  return (await page.getByTestId("confirm-bar").boundingBox())!.y;
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("the 65-permission grant preview is confirmed from the bar without scrolling, and the tenant holds every scope", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/grant`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();

  // At the top of a page taller than the viewport, the button is on screen already, with what it grants.
  expect(await scrollY(page)).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(720);
  const button = page.getByRole("button", { name: GRANT_BUTTON });
  await expect(button).toBeInViewport();
  await expect(page.getByTestId("confirm-summary")).toHaveText("Office 365 Admin for Okta Workflows gets 65 permissions for all users: 5 Critical, 13 High, 33 Medium, 14 Low.");
  // One button and one form: the bar is the confirm form's own, not a copy of it.
  await expect(button).toHaveCount(1);
  await expect(page.getByTestId("confirm-form").getByRole("button", { name: GRANT_BUTTON })).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Go to the confirmation" })).toHaveCount(0);

  // Pressed before a justification: the browser takes the admin to the field, above the bar; nothing is granted.
  await button.click();
  const justification = page.getByLabel("Justification");
  await expect(justification).toBeFocused();
  await expect(justification).toBeInViewport();
  expect((await justification.boundingBox())!.y + (await justification.boundingBox())!.height).toBeLessThanOrEqual(await barTop(page));
  expect((await tenantState(OKTA_ADMIN.appId)).tenantWideScopes).toEqual([]);

  // At the very end of the page the bar covers nothing: the page is padded by its height.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const form = (await page.getByTestId("confirm-form").boundingBox())!;
  expect(form.y + form.height).toBeLessThanOrEqual(await barTop(page));

  // Keyboard only: the justification, then Tab reaches the bar's button, Enter grants.
  await justification.fill("Okta Workflows Office 365 Admin connector, ticket IT-5152");
  await justification.press("Tab");
  await expect(button).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");
  await expect(page.getByTestId("confirm-bar")).toHaveCount(0);

  const state = await tenantState(OKTA_ADMIN.appId);
  expect(state.tenantWideScopes).toEqual([...WANTED.scopes].sort());
  expect(state.appRoles).toBe(WANTED.appRoles.length);
});

test("the revoke preview and a policy wizard's preview have the same bar in the first viewport", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/grant`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await page.getByLabel("Justification").fill("Okta Workflows Office 365 Admin connector, ticket IT-5152");
  await page.getByRole("button", { name: GRANT_BUTTON }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");

  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/revoke`);
  const scopes = page.getByTestId("revoke-scopes");
  const collapsed = scopes.locator("details:not([open]) > summary");
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  for (const box of await scopes.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("revoke-preview")).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole("button", { name: "Revoke 62 permissions" })).toBeInViewport();
  await expect(page.getByTestId("confirm-summary")).toContainText("What happens to Office 365 Admin for Okta Workflows, and whose access changes");

  // The user consent wizard is a Privileged Role Administrator's: a new session.
  await page.context().clearCookies();
  await signInAs(page, account("Privileged Role Administrator"));
  await page.goto("/admin/policies/user-consent");
  await page.getByRole("radio", { name: /Do not allow user consent/ }).check();
  await page.getByRole("button", { name: "Preview the change" }).click();
  await expect(page.getByTestId("after")).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(page.getByRole("button", { name: "Change user consent to: Do not allow user consent" })).toBeInViewport();
});
