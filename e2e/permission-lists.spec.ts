import { expect, test, type Locator, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs } from "./helpers";
import { clearFaults, graphGet, graphToken, resetSimulator } from "./simulator";

/**
 * Long permission lists: Office 365 Admin for Okta Workflows asks for 65 permissions. The grant preview
 * and the consent link page group them by API and risk level, open only the dangerous groups, and keep
 * the confirmation within reach; granting still grants every one of them.
 */

const OKTA_ADMIN = catalog.apps.find((app) => app.displayName === "Office 365 Admin for Okta Workflows")!;
const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const WANTED = OKTA_ADMIN.permissions.find((p) => p.resourceAppId === GRAPH_API)!;
// The preview was 3,163 px tall when it listed every permission; grouped, it is about 1,550 px (the open
// Critical and High rows). The budget leaves room for the wizard's own chrome, not for the list to sprawl again.
const PAGE_HEIGHT_BUDGET = 1_800;
const GRANT_BUTTON = /^Grant (consent for|\d+ permissions? to) all users/;

async function tenantState(app: string) {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`);
  const sp = sps.value[0];
  if (!sp) return { grants: [] as { consentType: string; scope: string }[], appRoles: 0 };
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  const roles = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals/${sp.id}/appRoleAssignments`);
  return { grants: grants.value, appRoles: roles.value.length };
}

/** The groups of a list, as [level, count, open] in page order. */
async function groupsOf(list: Locator): Promise<[string | null, string, boolean][]> {
  const groups = list.getByTestId("permission-group");
  return Promise.all(
    (await groups.all()).map(async (group) => [
      await group.getAttribute("data-risk"),
      (await group.getByTestId("permission-group-count").textContent()) ?? "",
      await group.evaluate((element) => (element as HTMLDetailsElement).open),
    ]),
  );
}

const EXPECTED_GROUPS: [string, string, boolean][] = [
  ["Critical", "5 permissions", true],
  ["High", "13 permissions", true],
  ["Medium", "33 permissions", false],
  ["Low", "14 permissions", false],
];

async function pageHeight(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollHeight);
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("a 65-permission grant preview is grouped by risk, keeps the confirmation in reach, and still grants everything", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/grant`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  const preview = page.getByTestId("grant-preview");
  await expect(preview).toBeVisible();

  await expect(preview.getByTestId("grant-summary")).toContainText("gets 65 permissions: 5 Critical, 13 High, 33 Medium, 14 Low");
  await expect(preview.getByTestId("permission-summary")).toHaveText("65 permissions on Microsoft Graph: 5 Critical, 13 High, 33 Medium, 14 Low");
  expect(await groupsOf(preview)).toEqual(EXPECTED_GROUPS);
  // Each group says what its level means.
  await expect(preview.locator('[data-risk="Critical"] summary')).toContainText("Can take over the tenant");

  // The dangerous permissions are on screen; the low ones are one click away.
  await expect(preview.getByText("+ RoleManagement.ReadWrite.Directory")).toBeVisible();
  await expect(preview.getByText("+ Calendars.ReadWrite", { exact: true })).toBeHidden();
  expect(await pageHeight(page)).toBeLessThan(PAGE_HEIGHT_BUDGET);
  // The confirm button waits in the bar at the bottom of the viewport (e2e/confirm-bar.spec.ts).
  await expect(page.getByRole("button", { name: GRANT_BUTTON })).toBeInViewport();
  await preview.locator('[data-risk="Medium"] summary').click();
  await expect(preview.getByText("+ Calendars.ReadWrite", { exact: true })).toBeVisible();

  // Collapsed or not, every permission is granted.
  await page.getByLabel("Justification").fill("Okta Workflows Office 365 Admin connector, ticket IT-5151");
  await page.getByRole("button", { name: GRANT_BUTTON }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");
  const state = await tenantState(OKTA_ADMIN.appId);
  const tenantWide = state.grants.filter((grant) => grant.consentType === "AllPrincipals");
  expect(tenantWide).toHaveLength(1);
  expect(tenantWide[0]!.scope.split(" ").sort()).toEqual([...WANTED.scopes].sort());
  expect(state.appRoles).toBe(WANTED.appRoles.length);
});

test("revoking the 65 granted permissions: the choose step and the preview are grouped the same way", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/grant`);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await page.getByLabel("Justification").fill("Okta Workflows Office 365 Admin connector, ticket IT-5151");
  await page.getByRole("button", { name: GRANT_BUTTON }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");

  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/revoke`);
  const scopes = page.getByTestId("revoke-scopes");
  await expect(scopes.getByTestId("permission-summary")).toHaveText("62 permissions on Microsoft Graph: 4 Critical, 11 High, 33 Medium, 14 Low");
  // Checking a whole group means opening it: every scope of the collapsed groups, then the open ones.
  const collapsed = scopes.locator("details:not([open]) > summary");
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  for (const box of await scopes.getByRole("checkbox").all()) await box.check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  const preview = page.getByTestId("revoke-preview");
  await expect(preview.getByTestId("revoke-summary")).toContainText("loses 62 permissions: 4 Critical, 11 High, 33 Medium, 14 Low");
  await expect(preview.getByTestId("removes-scope")).toHaveCount(62);
  await expect(preview.getByTestId("deletes-grant")).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke 62 permissions" })).toBeInViewport();
});

test("the consent link page shows the permissions and the publisher before sending the admin to Microsoft, and copies the link", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN.appId}/consent-link`);

  await expect(page.getByTestId("consent-link-publisher")).toContainText("Publisher: Okta, Inc.");
  await expect(page.getByTestId("consent-link-publisher")).toContainText("Verified publisher");
  const permissions = page.getByTestId("consent-link-permissions");
  await expect(permissions.getByTestId("permission-summary")).toHaveText("65 permissions on Microsoft Graph: 5 Critical, 13 High, 33 Medium, 14 Low");
  expect(await groupsOf(permissions)).toEqual(EXPECTED_GROUPS);
  await expect(permissions.getByText("Directory.ReadWrite.All", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Make the consent link" }).click();
  const url = await page.getByTestId("consent-url").inputValue();
  expect(url).toMatch(/\/v2\.0\/adminconsent\?client_id=/);
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
});

test("an unverified publisher is said so, and where the browser refuses the clipboard the link is selected instead", async ({ page }) => {
  const outreach = catalog.apps.find((app) => app.displayName === "Outreach")!;
  // As in a browser that refuses clipboard access to the page.
  await page.addInitScript(() => {
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new DOMException("Denied", "NotAllowedError")) } });
  });
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${outreach.appId}/consent-link`);
  await expect(page.getByTestId("consent-link-publisher")).toContainText("Publisher not verified");

  await page.getByRole("button", { name: "Make the consent link" }).click();
  const field = page.getByTestId("consent-url");
  const url = await field.inputValue();
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByText("the link is selected, press Ctrl+C")).toBeVisible();
  expect(await field.evaluate((element: HTMLTextAreaElement) => element.value.slice(element.selectionStart, element.selectionEnd))).toBe(url);
});
