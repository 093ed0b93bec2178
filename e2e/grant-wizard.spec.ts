import { expect, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs, switchSession } from "./helpers";
import { clearFaults, graphGet, graphToken, resetSimulator, setFaults } from "./simulator";

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const appId = (name: string) => catalog.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
const OKTA_ADMIN = appId("Office 365 Admin for Okta Workflows");
const JUSTIFICATION = "Mail automation for the sales team, ticket IT-4242";

type Grant = { id: string; consentType: string; resourceId: string; scope: string };

/** The app's consent state read back through Microsoft Graph, not through the portal. */
async function tenantState(app: string) {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`);
  const sp = sps.value[0];
  if (!sp) return { servicePrincipals: 0, grants: [] as Grant[], appRoles: 0 };
  const grants = await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  const roles = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals/${sp.id}/appRoleAssignments`);
  return { servicePrincipals: sps.value.length, grants: grants.value, appRoles: roles.value.length };
}

async function preview(page: Page, app: string, pick?: string[]) {
  await page.goto(`/admin/apps/${app}/grant`);
  if (pick) {
    // Long groups start collapsed: open them all, so that every permission can be unchecked.
    const collapsed = page.locator("details:not([open]) > summary");
    while ((await collapsed.count()) > 0) await collapsed.first().click();
    for (const box of await page.getByRole("checkbox").all()) await box.uncheck();
    for (const name of pick) await page.getByRole("checkbox", { name: new RegExp(`^${name.replace(".", "\\.")} `) }).first().check();
  }
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
}

async function confirm(page: Page) {
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(page.getByTestId("result-message")).toBeVisible();
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("a Global Administrator grants everything an app asks for, and Graph shows it", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await preview(page, OKTA_ADMIN);
  await expect(page.getByTestId("creates-sp")).toBeVisible();
  await expect(page.getByTestId("adds-app-role")).toHaveCount(3);
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");
  await expect(page.getByTestId("graph-calls")).toContainText("POST /v1.0/servicePrincipals");

  const state = await tenantState(OKTA_ADMIN);
  expect(state.servicePrincipals).toBe(1);
  expect(state.grants.filter((g) => g.consentType === "AllPrincipals")).toHaveLength(1);
  const wanted = catalog.apps.find((app) => app.appId === OKTA_ADMIN)!.permissions.find((p) => p.resourceAppId === GRAPH_API)!.scopes;
  expect(state.grants[0]!.scope.split(" ").sort()).toEqual([...wanted].sort());
  expect(state.appRoles).toBe(3);
});

test("granting twice changes nothing the second time and says so", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await preview(page, NYLAS);
  await confirm(page);
  const first = await tenantState(NYLAS);

  await preview(page, NYLAS);
  await expect(page.getByTestId("nothing-to-change")).toBeVisible();
  await expect(page.getByRole("button", { name: "Nothing to grant" })).toBeDisabled();
  expect(await tenantState(NYLAS)).toEqual(first);
  expect(first.grants).toHaveLength(1);
});

test("scopes are merged into the existing tenant-wide grant, never duplicated", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await preview(page, NYLAS, ["Mail.Send"]);
  await confirm(page);
  expect((await tenantState(NYLAS)).grants[0]!.scope).toBe("Mail.Send");

  await preview(page, NYLAS);
  await expect(page.getByTestId("already-scope")).toHaveText(["= Mail.Send (already granted)"]);
  await confirm(page);
  const state = await tenantState(NYLAS);
  expect(state.grants).toHaveLength(1);
  expect(state.grants[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["Mail.Send", "Mail.ReadWrite", "Calendars.ReadWrite"]));
  expect(state.grants[0]!.scope.split(" ")[0]).toBe("Mail.Send");
});

test("a Cloud Application Administrator finds Graph application permissions off already at Choose, with the reason", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN}/grant`);
  const blocked = page.getByTestId("blocked-app-role");
  await expect(blocked).toHaveCount(3);
  for (const row of await blocked.all()) {
    await expect(row.getByRole("checkbox")).toBeDisabled();
    await expect(row.getByRole("checkbox")).not.toBeChecked();
    await expect(row).toContainText("Not with your role: Only a Privileged Role Administrator or Global Administrator can grant Microsoft Graph application permissions");
  }
  // The reason is the checkbox's description, so a screen reader says it with the permission.
  await expect(blocked.first().getByRole("checkbox")).toHaveAccessibleDescription(/Only a Privileged Role Administrator or Global Administrator can grant/);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
  await expect(page.getByTestId("adds-app-role")).toHaveCount(0);
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Office 365 Admin for Okta Workflows.");
  const state = await tenantState(OKTA_ADMIN);
  expect(state.grants).toHaveLength(1);
  expect(state.appRoles).toBe(0);
});

test("app roles asked for by address are still refused in the preview for a Cloud Application Administrator", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${OKTA_ADMIN}/grant`);
  const roles = await page.locator('input[name="r"]').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  expect(roles).toHaveLength(3);
  await page.goto(`/admin/apps/${OKTA_ADMIN}/grant?step=preview&${roles.map((role) => `r=${encodeURIComponent(role)}`).join("&")}`);
  await expect(page.getByTestId("blocked-app-role")).toHaveCount(3);
  await expect(page.getByTestId("blocked-app-role").first()).toContainText("Only a Privileged Role Administrator or Global Administrator can grant Microsoft Graph application permissions");
  await expect(page.getByRole("button", { name: "Nothing to grant" })).toBeDisabled();
});

test("the step bar follows the wizard: Choose, Preview, Result", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${NYLAS}/grant`);
  const steps = page.getByRole("list", { name: "Wizard steps" });
  await expect(steps.getByRole("listitem")).toHaveText(["1. Choose", "2. Preview", "3. Result"]);
  const current = steps.locator('[aria-current="step"]');
  await expect(current).toHaveText("1. Choose");
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(current).toHaveText("2. Preview");
  await confirm(page);
  await expect(current).toHaveText("3. Result");
  await expect(current).toHaveCount(1);
});

test("an empty choice keeps the form and says what is missing", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${NYLAS}/grant`);
  // Open the collapsed risk groups, as an admin would, to see every checkbox.
  const collapsed = page.locator("details:not([open]) > summary");
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  for (const box of await page.getByRole("checkbox").all()) await box.uncheck();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("choose-message")).toHaveText("Choose at least one permission.");
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  await expect(page.getByRole("list", { name: "Wizard steps" }).locator('[aria-current="step"]')).toHaveText("1. Choose");
  // The form is still there, as it was sent: nothing checked again behind the admin's back.
  await expect(page.getByRole("checkbox").first()).toBeVisible();
  for (const box of await page.getByRole("checkbox").all()) await expect(box).not.toBeChecked();
  await page.getByRole("checkbox", { name: /^Mail\.Send / }).first().check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
  await expect(page.getByRole("button", { name: "Grant 1 permission to all users" })).toBeEnabled();
});

test("a regular user posting the grant action directly is refused and nothing changes", async ({ page, context, browser }) => {
  await signInAs(page, account("Global Administrator"));
  await preview(page, NYLAS);
  await switchSession(context, browser, account("User"));
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(page.getByRole("status")).toContainText("Your role does not allow this change.");
  expect((await tenantState(NYLAS)).servicePrincipals).toBe(0);
});

test("the wizard waits out Graph's replication delay after creating the service principal", async ({ page }) => {
  await setFaults({ replicationDelayMs: 1500 });
  await signInAs(page, account("Global Administrator"));
  await preview(page, NYLAS);
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  await expect(page.getByTestId("graph-calls")).toContainText("404");
  const state = await tenantState(NYLAS);
  expect(state.grants).toHaveLength(1);
});

test("a throttled grant is retried after Retry-After and succeeds", async ({ page }) => {
  await setFaults({ rules: [{ status: 429, methods: ["POST"], pathPattern: "/oauth2PermissionGrants$", times: 1, retryAfterSeconds: 1 }] });
  await signInAs(page, account("Global Administrator"));
  await preview(page, NYLAS);
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  const calls = page.getByTestId("graph-calls");
  await expect(calls).toContainText("429");
  await expect(calls).toContainText("attempt 2");
  expect((await tenantState(NYLAS)).grants).toHaveLength(1);
});
