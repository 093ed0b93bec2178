import { expect, request, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { GRAPH_APP_ROLE_REASON } from "../lib/consent/grant/plan";
import { account, docsScreenshot, signInAs, switchSession } from "./helpers";
import { clearFaults, GRAPH, graphGet, graphToken, resetSimulator, setFaults } from "./simulator";

const appId = (name: string) => catalog.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
const USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";
const RILEY = account("User");
const JUSTIFICATION = "Vendor offboarded, ticket IT-5150";

type Grant = { id: string; consentType: string; principalId: string | null; resourceId: string; scope: string };

async function graphWrite(token: string, method: "POST" | "PATCH" | "DELETE", path: string, data?: unknown) {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const reply = await api.fetch(`${GRAPH}/v1.0${path}`, { method, headers: { authorization: `Bearer ${token}` }, data });
  expect(reply.ok(), await reply.text()).toBe(true);
  const body = reply.status() === 204 ? null : await reply.json();
  await api.dispose();
  return body as { id: string } | null;
}

/**
 * Starting state, written through Graph by a Global Administrator: Nylas in the tenant with a tenant-wide
 * grant, Riley Chen's own consent, and (optionally) a Microsoft Graph application permission.
 */
async function seedNylas(options: { appRole?: boolean } = {}) {
  const token = await graphToken(account("Global Administrator"), "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Directory.Read.All");
  const sp = (await graphWrite(token, "POST", "/servicePrincipals", { appId: NYLAS }))!;
  await graphWrite(token, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP, scope: "User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite" });
  await graphWrite(token, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "Principal", principalId: RILEY.id, resourceId: GRAPH_SP, scope: "Mail.ReadWrite Contacts.ReadWrite" });
  if (options.appRole) await graphWrite(token, "POST", `/servicePrincipals/${GRAPH_SP}/appRoleAssignedTo`, { principalId: sp.id, resourceId: GRAPH_SP, appRoleId: USER_READ_ALL_ROLE });
  return sp.id;
}

/** Nylas's consent state read back through Microsoft Graph, not through the portal. */
async function tenantState() {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const sp = sps.value[0];
  if (!sp) return { servicePrincipals: 0, allPrincipals: [] as Grant[], principal: [] as Grant[], appRoles: 0 };
  const grants = await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  const roles = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals/${sp.id}/appRoleAssignments`);
  return {
    servicePrincipals: sps.value.length,
    allPrincipals: grants.value.filter((g) => g.consentType === "AllPrincipals"),
    principal: grants.value.filter((g) => g.consentType === "Principal"),
    appRoles: roles.value.length,
  };
}

test("an empty choice keeps the form and says what is missing", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${NYLAS}/revoke`);
  await page.getByRole("checkbox", { name: scope("Mail.Send") }).check();
  await page.getByRole("checkbox", { name: scope("Mail.Send") }).uncheck();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("choose-message")).toHaveText("Choose at least one thing to revoke.");
  await expect(page.getByRole("list", { name: "Wizard steps" }).locator('[aria-current="step"]')).toHaveText("1. Choose");
  await page.getByRole("checkbox", { name: scope("Mail.Send") }).check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("revoke-preview")).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke 1 permission", exact: true })).toBeEnabled();
});

async function choose(page: Page, labels: (string | RegExp)[]) {
  await page.goto(`/admin/apps/${NYLAS}/revoke`);
  for (const label of labels) await page.getByRole("checkbox", { name: label }).check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await expect(page.getByTestId("revoke-preview")).toBeVisible();
}

/** The confirm button says what it does ("Revoke 2 permissions", "Delete the app from the tenant"). */
async function confirm(page: Page, button: string | RegExp = /^Revoke /) {
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page.getByTestId("result-message")).toBeVisible();
}

const scope = (name: string) => new RegExp(`^${name.replace(/\./g, "\\.")} delegated`);

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("a Cloud Application Administrator removes chosen scopes from the tenant-wide grant (PATCH with the rest)", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${NYLAS}`);
  await page.getByRole("link", { name: "Revoke consent" }).click();
  await expect(page.getByRole("heading", { name: "Revoke consent" })).toBeVisible();
  await choose(page, [scope("Mail.Send"), scope("Mail.ReadWrite")]);
  await expect(page.getByTestId("removes-scope")).toHaveCount(2);
  await expect(page.getByTestId("remaining-scopes")).toContainText("User.Read Calendars.ReadWrite");
  await expect(page.getByTestId("token-warning")).toContainText("about an hour");
  await expect(page.getByTestId("affects-everyone")).toContainText("Every user in the tenant");
  await expect(page.getByText("Kept by their own consent: Riley Chen (Mail.ReadWrite)")).toBeVisible();
  await docsScreenshot(page, "revoke-preview");
  await confirm(page, "Revoke 2 permissions");
  await expect(page.getByTestId("result-message")).toHaveText("Consent revoked for Nylas.");
  await expect(page.getByTestId("graph-calls")).toContainText("PATCH /v1.0/oauth2PermissionGrants/");
  await docsScreenshot(page, "revoke-result");

  const state = await tenantState();
  expect(state.allPrincipals).toHaveLength(1);
  expect(state.allPrincipals[0]!.scope).toBe("User.Read Calendars.ReadWrite");
  expect(state.principal).toHaveLength(1);
  expect(state.principal[0]!.scope).toBe("Mail.ReadWrite Contacts.ReadWrite");
});

test("removing every scope deletes the tenant-wide grant", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await choose(page, ["User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"].map(scope));
  await expect(page.getByTestId("deletes-grant")).toBeVisible();
  await confirm(page);
  await expect(page.getByTestId("step-results")).toContainText("the tenant-wide grant was deleted");
  await expect(page.getByTestId("graph-calls")).toContainText("DELETE /v1.0/oauth2PermissionGrants/");
  const state = await tenantState();
  expect(state.allPrincipals).toHaveLength(0);
  expect(state.principal).toHaveLength(1);
});

test("revoking one user's consent deletes only their grant and names only them", async ({ page }) => {
  await seedNylas();
  await signInAs(page, account("Cloud Application Administrator"));
  await choose(page, [/Revoke Riley Chen's consent/]);
  await expect(page.getByTestId("affected-user")).toHaveText([/Riley Chen \(riley\.chen@contoso\.onmicrosoft\.com\)/]);
  await expect(page.getByTestId("affects-everyone")).toHaveCount(0);
  await expect(page.getByTestId("token-warning")).toBeVisible();
  await docsScreenshot(page, "revoke-user-preview");
  await confirm(page, "Revoke 1 user's own consent");
  await expect(page.getByTestId("step-results")).toContainText("Riley Chen will be asked to consent again");
  const state = await tenantState();
  expect(state.principal).toHaveLength(0);
  expect(state.allPrincipals[0]!.scope).toBe("User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite");

  // Running it again changes nothing and says so.
  await page.goto(`/admin/apps/${NYLAS}/revoke`);
  await expect(page.getByLabel(/Revoke Riley Chen's consent/)).toHaveCount(0);
});

test("deleting the service principal names every user with their own consent, and removes everything", async ({ page }) => {
  await seedNylas({ appRole: true });
  await signInAs(page, account("Cloud Application Administrator"));
  await choose(page, [/Delete Nylas's service principal/]);
  await expect(page.getByTestId("deletes-sp")).toBeVisible();
  await expect(page.getByTestId("affects-everyone")).toContainText("nobody can use Nylas");
  await expect(page.getByTestId("affected-user")).toHaveText([/Riley Chen .*deleted with the app/]);
  // Nylas asks for permissions the tenant does not classify low impact: users cannot consent to it again by themselves.
  await expect(page.getByTestId("consent-again-none")).toContainText("Users cannot consent to Nylas again by themselves");
  await docsScreenshot(page, "revoke-delete-preview");
  await page.getByRole("checkbox", { name: /Yes, delete Nylas from the tenant/ }).check();
  await confirm(page, "Delete the app from the tenant");
  await expect(page.getByTestId("result-message")).toHaveText("Nylas was deleted from the tenant.");
  await docsScreenshot(page, "revoke-delete-result");
  const state = await tenantState();
  expect(state.servicePrincipals).toBe(0);
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const left = await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=principalId eq '${RILEY.id}'`);
  expect(left.value.filter((g) => g.scope.includes("Contacts.ReadWrite"))).toHaveLength(0);
});

test("removing a Microsoft Graph application permission: disabled with the reason for a Cloud Application Administrator, done by a Privileged Role Administrator", async ({ page, context }) => {
  await seedNylas({ appRole: true });
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto(`/admin/apps/${NYLAS}/revoke`);
  const blocked = page.getByTestId("blocked-app-role");
  await expect(blocked).toContainText(GRAPH_APP_ROLE_REASON.replace("can grant", "can remove"));
  await expect(blocked.getByRole("checkbox")).toBeDisabled();

  await context.clearCookies();
  await signInAs(page, account("Privileged Role Administrator"));
  await choose(page, [/^User\.Read\.All on Microsoft Graph/]);
  await expect(page.getByTestId("removes-app-role")).toHaveCount(1);
  await confirm(page);
  await expect(page.getByTestId("graph-calls")).toContainText(`DELETE /v1.0/servicePrincipals/${GRAPH_SP}/appRoleAssignedTo/`);
  expect((await tenantState()).appRoles).toBe(0);
});

test("a throttled revoke is retried after Retry-After and succeeds", async ({ page }) => {
  await seedNylas();
  await setFaults({ rules: [{ status: 429, methods: ["DELETE"], pathPattern: "/oauth2PermissionGrants/", times: 1, retryAfterSeconds: 1 }] });
  await signInAs(page, account("Cloud Application Administrator"));
  await choose(page, [/Revoke Riley Chen's consent/]);
  await confirm(page);
  await expect(page.getByTestId("graph-calls")).toContainText("attempt 2");
  expect((await tenantState()).principal).toHaveLength(0);
});

test("a regular user posting the revoke action directly is refused and nothing changes", async ({ page, context, browser }) => {
  await seedNylas();
  await signInAs(page, account("Global Administrator"));
  await choose(page, [/Delete Nylas's service principal/]);
  const before = await tenantState();
  await switchSession(context, browser, account("User"));
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("checkbox", { name: /Yes, delete Nylas from the tenant/ }).check();
  await page.getByRole("button", { name: "Delete the app from the tenant" }).click();
  await expect(page.getByRole("status")).toContainText("Your role does not allow this change.");
  expect(await tenantState()).toEqual(before);
  expect(before.servicePrincipals).toBe(1);
});
