import { expect, test, type Browser, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import users from "../sim/fixtures/users.json";
import { TEST_PORTS } from "../playwright.config";
import { account, signInAs, type SeededAccount } from "./helpers";
import { graphGet, graphToken, resetSimulator, sentMail, waitForMail } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;

async function nylasInTenant() {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string; accountEnabled: boolean }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const sp = sps.value[0];
  const grants = sp ? (await graphGet<{ value: { scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`)).value : [];
  return { sp, grants };
}

test.beforeEach(async ({ page }) => {
  await resetSimulator();
  await signInAs(page, account("Global Administrator"));
  await page.goto("/admin/entra-requests");
});

const nylasRequest = (page: Page) => page.getByTestId("entra-request").filter({ hasText: "Nylas" });

test("an admin approves an Entra request by granting exactly what was asked", async ({ page }) => {
  await expect(nylasRequest(page)).toContainText("Riley Chen");
  await expect(nylasRequest(page)).toContainText("I need Nylas to sync my calendar");
  await nylasRequest(page).getByRole("link", { name: "Approve: preview the grant" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
  await page.getByLabel("Justification").fill("Approving Riley's request for calendar sync");
  await page.getByRole("button", { name: "Grant consent for all users" }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");

  const { grants } = await nylasInTenant();
  expect(grants).toHaveLength(1);
  expect(grants[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Calendars.ReadWrite"]));
  await page.goto("/admin/entra-requests");
  await expect(nylasRequest(page).getByTestId("request-status")).toHaveText("Approved: granted tenant-wide");
});

test("blocking an app creates it with sign-in disabled", async ({ page }) => {
  await nylasRequest(page).getByRole("button", { name: "Block the app" }).click();
  await expect.poll(async () => (await nylasInTenant()).sp?.accountEnabled).toBe(false);
  const { grants } = await nylasInTenant();
  expect(grants).toHaveLength(0);
});

// A denial stays in the audit trail: it runs last, as the other tests need the request pending.
test("an admin denies an Entra request with a reason, nothing is granted, and the requester sees why", async ({ page, browser }) => {
  const since = Date.now();
  await nylasRequest(page).getByLabel("Reason for denying").fill("Use the approved scheduling tool instead.");
  await nylasRequest(page).getByRole("button", { name: "Deny" }).click();
  const denied = "Denied by Alex Wilber: Use the approved scheduling tool instead.";
  await expect(nylasRequest(page).getByTestId("request-status")).toHaveText(denied);
  await page.reload();
  await expect(nylasRequest(page).getByTestId("request-status")).toHaveText(denied);
  expect((await nylasInTenant()).sp).toBeUndefined();

  // The requester learns the outcome by mail and on their own page; another user hears nothing of it.
  const rileyUpn = account("User").userPrincipalName;
  const mail = await waitForMail((m) => m.to.includes(rileyUpn) && m.subject === "Your request for Nylas was denied" && Date.parse(m.receivedAt) >= since - 1_000);
  expect(mail.text).toContain("Alex Wilber denied the request you made for Nylas");
  expect(mail.text).toContain("> Use the approved scheduling tool instead.");
  expect((await sentMail()).filter((m) => m.subject === mail.subject && m.to.some((to) => to.startsWith("jordan.")))).toEqual([]);
  const riley = await pageOf(browser, account("User"));
  await riley.goto("/my-apps");
  const denial = riley.getByTestId("entra-denials").getByRole("listitem").filter({ hasText: "Nylas" }).first();
  await expect(denial.getByTestId("entra-denial-status")).toContainText("Denied by Alex Wilber");
  await expect(denial).toContainText("Reason: Use the approved scheduling tool instead.");
  const jordan = await pageOf(browser, users.find((user) => user.displayName === "Jordan Diaz")!);
  await jordan.goto("/my-apps");
  await expect(jordan.getByRole("heading", { name: "My approval requests" })).toBeVisible();
  await expect(jordan.getByTestId("entra-denials")).toHaveCount(0);
});

async function pageOf(browser: Browser, who: SeededAccount): Promise<Page> {
  const context = await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.portal}` });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}
