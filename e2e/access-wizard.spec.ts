import { expect, request, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import groups from "../sim/fixtures/groups.json";
import { account, docsScreenshot, signInAs, switchSession } from "./helpers";
import { clearFaults, GRAPH, graphGet, graphToken, resetSimulator, setFaults } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
const DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";
const RILEY = account("User");
const SALES = groups.find((g) => g.displayName === "Sales")!.id;
const JUSTIFICATION = "Limit Nylas to the sales team, ticket IT-5151";

type Sp = { id: string; appRoleAssignmentRequired: boolean; accountEnabled: boolean; tags: string[] };
type Assignment = { id: string; principalId: string; principalType: string; appRoleId: string };

async function graphWrite(token: string, method: "POST" | "PATCH", path: string, data: unknown) {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const reply = await api.fetch(`${GRAPH}/v1.0${path}`, { method, headers: { authorization: `Bearer ${token}` }, data });
  expect(reply.ok(), await reply.text()).toBe(true);
  const body = reply.status() === 204 ? null : await reply.json();
  await api.dispose();
  return body as { id: string } | null;
}

/** Nylas in the tenant with Riley Chen's own consent (and optionally assignments), written through Graph by a Global Administrator. */
async function seedNylas(options: { assign?: { principalId: string }[]; tenantWide?: boolean } = {}) {
  const token = await graphToken(account("Global Administrator"), "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Directory.Read.All");
  const sp = (await graphWrite(token, "POST", "/servicePrincipals", { appId: NYLAS }))!;
  await graphWrite(token, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "Principal", principalId: RILEY.id, resourceId: GRAPH_SP, scope: "Mail.ReadWrite" });
  if (options.tenantWide) await graphWrite(token, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP, scope: "User.Read" });
  for (const a of options.assign ?? []) await graphWrite(token, "POST", `/servicePrincipals/${sp.id}/appRoleAssignedTo`, { principalId: a.principalId, resourceId: sp.id, appRoleId: DEFAULT_ACCESS });
  return sp.id;
}

/** Nylas's service principal and assignments read back through Microsoft Graph. */
async function tenantState() {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: Sp[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const sp = sps.value[0]!;
  const assigned = await graphGet<{ value: Assignment[] }>(token, `/servicePrincipals/${sp.id}/appRoleAssignedTo`);
  return { appRoleAssignmentRequired: sp.appRoleAssignmentRequired, accountEnabled: sp.accountEnabled, tags: sp.tags, assignments: assigned.value };
}

async function open(page: Page) {
  await page.goto(`/admin/apps/${NYLAS}/access`);
  await expect(page.getByRole("heading", { name: "Restrict and assign" })).toBeVisible();
}

async function search(page: Page, text: string) {
  await page.getByLabel("Find users and groups to assign").fill(text);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByLabel("Find users and groups to assign")).toHaveValue(text);
}

async function preview(page: Page) {
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("access-preview")).toBeVisible();
}

/** The confirm button says what it does, e.g. "For Nylas: require assignment and assign 2 users or groups". */
async function confirm(page: Page) {
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByTestId("confirm-form").getByRole("button").click();
  await expect(page.getByTestId("result-message")).toBeVisible();
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("requiring assignment with nobody assigned warns that everyone, including users who consented, is locked out", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${NYLAS}`);
  await page.getByRole("link", { name: "Restrict and assign" }).click();
  await page.getByLabel(/^Require assignment/).check();
  await preview(page);
  const warning = page.getByTestId("lockout-warning");
  await expect(warning).toBeVisible();
  await expect(page.getByTestId("lockout-everyone")).toContainText("every user in the tenant");
  await expect(page.getByTestId("locked-out-user")).toHaveText(["Riley Chen (riley.chen@contoso.onmicrosoft.com)"]);
  await docsScreenshot(page, "access-lockout-preview");
  // Previewing changed nothing.
  expect((await tenantState()).appRoleAssignmentRequired).toBe(false);
});

test("a Cloud Application Administrator requires assignment and assigns a user and a group found in the directory", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await open(page);
  await page.getByLabel(/^Require assignment/).check();
  await search(page, "riley");
  await page.getByLabel(/^Assign Riley Chen/).check();
  await search(page, "Sal");
  await expect(page.getByLabel(/^Assign Riley Chen/)).toBeChecked();
  await page.getByLabel(/^Assign Sales/).check();
  await expect(page.getByLabel(/^Require assignment/)).toBeChecked();
  await preview(page);
  await expect(page.getByTestId("assigns")).toHaveText([/Assign Riley Chen .*Default Access/, /Assign Sales \(group/]);
  await expect(page.getByTestId("confirm-form").getByRole("button")).toHaveText("For Nylas: require assignment and assign 2 users or groups");
  await expect(page.getByTestId("sets-assignment-required")).toHaveText("Require user assignment");
  await expect(page.getByTestId("lockout-warning")).toHaveCount(0);
  await docsScreenshot(page, "access-preview");
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Access to Nylas updated.");
  await docsScreenshot(page, "access-result");

  const state = await tenantState();
  expect(state.appRoleAssignmentRequired).toBe(true);
  expect(state.assignments.map((a) => [a.principalId, a.principalType, a.appRoleId]).sort()).toEqual(
    [
      [RILEY.id, "User", DEFAULT_ACCESS],
      [SALES, "Group", DEFAULT_ACCESS],
    ].sort(),
  );
});

test("disabling sign-in and hiding the app keep every other tag; showing it again removes only HideApp", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await open(page);
  await page.getByLabel(/^Disable sign-in/).check();
  await page.getByLabel(/^Hide from My Apps/).check();
  await preview(page);
  await expect(page.getByTestId("disable-warning")).toContainText("every user");
  await expect(page.getByTestId("sets-sign-in")).toHaveText("Disable sign-in");
  await confirm(page);
  let state = await tenantState();
  expect(state.accountEnabled).toBe(false);
  expect(state.tags).toEqual(["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]);

  await open(page);
  await page.getByLabel(/^Show in My Apps/).check();
  await page.getByLabel(/^Enable sign-in/).check();
  await preview(page);
  await confirm(page);
  state = await tenantState();
  expect(state.accountEnabled).toBe(true);
  expect(state.tags).toEqual(["WindowsAzureActiveDirectoryIntegratedApp"]);
});

test("unassigning the last user while assignment is required warns, then removes the assignment", async ({ page }) => {
  await seedNylas({ assign: [{ principalId: RILEY.id }] });
  await signInAs(page, account("Cloud Application Administrator"));
  await open(page);
  await page.getByLabel(/^Require assignment/).check();
  await preview(page);
  await expect(page.getByTestId("lockout-warning")).toHaveCount(0);
  await confirm(page);
  expect((await tenantState()).appRoleAssignmentRequired).toBe(true);

  await open(page);
  await page.getByLabel("Unassign Riley Chen (user)").check();
  await preview(page);
  await expect(page.getByTestId("lockout-everyone")).toBeVisible();
  await expect(page.getByTestId("unassigns")).toHaveText(["− Unassign Riley Chen (user)"]);
  await confirm(page);
  expect((await tenantState()).assignments).toHaveLength(0);
});

test("a Graph failure partway is shown as partial in plain words, and “Retry the rest” finishes only what is missing", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await open(page);
  await page.getByLabel(/^Disable sign-in/).check();
  await search(page, "Riley");
  await page.getByLabel(/^Assign Riley Chen/).check();
  await preview(page);
  // Every PATCH of the service principal is throttled, more times than the portal retries.
  await setFaults({ rules: [{ status: 429, methods: ["PATCH"], pathPattern: "/servicePrincipals/", times: 5, retryAfterSeconds: 0 }] });
  await confirm(page);
  await expect(page.getByTestId("result-message")).toContainText("Partly done: 1 step did not complete");
  await expect(page.getByTestId("step-results")).toContainText("Microsoft Graph stayed busy (429)");
  await expect(page.getByTestId("graph-calls")).toContainText("429");
  let state = await tenantState();
  expect(state.assignments.map((a) => a.principalId)).toEqual([RILEY.id]);
  expect(state.accountEnabled).toBe(true);

  await clearFaults();
  await page.getByRole("link", { name: "Retry the rest" }).click();
  await expect(page.getByTestId("already-assigned")).toHaveCount(1);
  await expect(page.getByTestId("sets-sign-in")).toHaveText("Disable sign-in");
  await confirm(page);
  await expect(page.getByTestId("result-message")).toHaveText("Access to Nylas updated.");
  state = await tenantState();
  expect(state.accountEnabled).toBe(false);
  expect(state.assignments).toHaveLength(1);
});

test("an empty choice keeps the form and says what is missing", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await open(page);
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("choose-message")).toHaveText("Choose at least one change.");
  await expect(page.getByRole("list", { name: "Wizard steps" }).locator('[aria-current="step"]')).toHaveText("1. Choose");
  await page.getByLabel(/^Disable sign-in/).check();
  await preview(page);
  await expect(page.getByTestId("confirm-form").getByRole("button")).toHaveText("For Nylas: disable sign-in");
});

test("a Privileged Role Administrator sees the service principal switches disabled with the reason", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Privileged Role Administrator"));
  await open(page);
  await expect(page.getByTestId("blocked-switches")).toContainText("Only a Cloud Application Administrator, Application Administrator or Global Administrator");
  await expect(page.getByLabel(/^Require assignment/)).toBeDisabled();
});

test("a regular user posting the restrict action directly is refused and nothing changes", async ({ page, context, browser }) => {
  await seedNylas();
  await signInAs(page, account("Global Administrator"));
  await open(page);
  await page.getByLabel(/^Require assignment/).check();
  await page.getByLabel(/^Disable sign-in/).check();
  await page.getByLabel(/^Hide from My Apps/).check();
  await search(page, "Riley");
  await page.getByLabel(/^Assign Riley Chen/).check();
  await preview(page);
  const before = await tenantState();
  await switchSession(context, browser, account("User"));
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: "For Nylas: require assignment, assign 1 user or group, disable sign-in and hide it from My Apps" }).click();
  await expect(page.getByRole("status")).toContainText("Your role does not allow this change.");
  expect(await tenantState()).toEqual(before);
  expect(before).toMatchObject({ appRoleAssignmentRequired: false, accountEnabled: true, assignments: [] });
});
