import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { TEST_PORTS } from "../playwright.config";
import { account, signInAs, switchSession, queryTestDatabase } from "./helpers";
import { graphGet, graphToken, resetSimulator } from "./simulator";

// The approved baseline as admins and reviewers meet it: recorded by a grant from what the tenant holds
// afterwards, adopted for an app consented before the portal existed, and handed to an auditor as a file.

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
// In the simulated tenant's fixtures since before the portal: an application permission, never granted here.
const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
const LITWARE = "ba8e3430-8d21-4f86-9ca2-a1b787af8e0e";
const OUTREACH = catalog.apps.find((app) => app.displayName === "Outreach")!.appId;
const JUSTIFICATION = "Calendar and mail sync for the sales team, ticket IT-6100";


/** The delegated scopes the tenant grants the app for all users, read through Microsoft Graph. */
async function tenantWideScopes(app: string): Promise<string[]> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sp = (await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${app}'`)).value[0];
  if (!sp) return [];
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  return grants.value.filter((g) => g.consentType === "AllPrincipals").flatMap((g) => g.scope.split(" ").filter(Boolean));
}

test.beforeAll(async () => {
  // Baselines outlive the simulator's reset: start these apps from none, as the reset tenant does.
  await queryTestDatabase(`DELETE FROM "AppBaseline" WHERE "appId" = ANY($1::uuid[])`, [[NYLAS, TAILSPIN, LITWARE, OUTREACH]]);
});

test.beforeEach(async () => {
  await resetSimulator();
});

test("an admin grants an app: its baseline shows what the tenant holds afterwards, and a reviewer downloads the evidence", async ({ page, browser }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${NYLAS}`);
  await expect(page.getByTestId("no-baseline")).toBeVisible();

  await page.goto(`/admin/apps/${NYLAS}/grant`);
  // Long permission groups start collapsed: open them all, so that every permission can be unchecked.
  const collapsed = page.locator("details:not([open]) > summary");
  while ((await collapsed.count()) > 0) await collapsed.first().click();
  for (const box of await page.getByRole("checkbox").all()) await box.uncheck();
  for (const name of ["User\\.Read", "Calendars\\.ReadWrite"]) await page.getByRole("checkbox", { name: new RegExp(`^${name} `) }).first().check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  await expect(page.getByTestId("step-results").getByRole("listitem").filter({ hasText: "Approved baseline" })).toContainText("Recorded as approved (version 1)");

  // The baseline is what Graph shows the tenant holds now.
  const held = await tenantWideScopes(NYLAS);
  expect(held.sort()).toEqual(["Calendars.ReadWrite", "User.Read"]);
  await page.goto(`/admin/apps/${NYLAS}`);
  const card = page.getByTestId("baseline-card");
  await expect(card.getByTestId("baseline-permissions")).toContainText(`Microsoft GraphDelegated, for all users${held.sort().join(", ")}`);
  await expect(card.getByTestId("baseline-approved")).toContainText("by Alex Wilber");
  await expect(card.getByTestId("baseline-approved")).toContainText("granted with the grant wizard");
  await expect(card.getByTestId("baseline-justification")).toHaveText(JUSTIFICATION);
  await expect(card.getByTestId("baseline-version")).toHaveText("1");

  // A reviewer finds it from the inventory's app, opens the evidence and downloads it.
  const reviewer = await (await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.portal}` })).newPage();
  await signInAs(reviewer, account("Security Reader"));
  await reviewer.goto(`/inventory/apps/${NYLAS}`);
  await expect(reviewer.getByTestId("baseline-permissions")).toContainText("Calendars.ReadWrite, User.Read");
  await expect(reviewer.getByTestId("adopt-form")).toHaveCount(0);
  await reviewer.getByRole("link", { name: "Evidence for auditors" }).click();
  await expect(reviewer.getByTestId("evidence")).toContainText("Consent evidence: Nylas");
  const [download] = await Promise.all([reviewer.waitForEvent("download"), reviewer.getByRole("link", { name: "Download (HTML)" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^evidence-nylas-\d{4}-\d{2}-\d{2}\.html$/);
  const file = await readFile((await download.path())!, "utf8");
  expect(file).toContain("<title>Consent evidence: Nylas");
  expect(file).toMatch(/Microsoft Graph<\/td><td>Delegated, for all users<\/td><td class="ev-mono">Calendars.ReadWrite, User.Read</);
  expect(file).toContain("Alex Wilber granted Calendars.ReadWrite and User.Read to Nylas for all users");
  expect(file).toContain("Alex Wilber recorded Calendars.ReadWrite and User.Read as approved for Nylas");
  expect(file).toContain(JUSTIFICATION);
  expect(file).not.toMatch(/<script/i);
});

test("an admin adopts an app consented before the portal: the preview is what the tenant grants, saved with the justification and audited", async ({ page }) => {
  const since = new Date();
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/inventory/apps/${TAILSPIN}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tailspin Reports");
  await expect(page.getByTestId("no-baseline")).toBeVisible();
  await expect(page.getByTestId("adopt-preview").getByRole("listitem")).toHaveText(["Reports.Read.All (Microsoft Graph, application)"]);

  // No justification, no adoption.
  await page.getByRole("button", { name: "Adopt 1 permission into the baseline" }).click();
  await expect(page.getByTestId("baseline-permissions")).toHaveCount(0);

  await page.getByLabel("Justification").fill("Finance's monthly reports since 2025, owner Megan Bowen, ticket IT-6101");
  await page.getByRole("button", { name: "Adopt 1 permission into the baseline" }).click();
  // The page shows the saved baseline at once, and nothing more to adopt; the same after a reload.
  await expect(page.getByTestId("baseline-version")).toHaveText("1");
  await expect(page.getByTestId("adopt-form")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("baseline-permissions")).toContainText("Microsoft GraphApplication permissionsReports.Read.All");
  await expect(page.getByTestId("baseline-approved")).toContainText("adopted from what the tenant held");
  await expect(page.getByTestId("baseline-matches")).toBeVisible();

  const events = await queryTestDatabase<{ outcome: string; justification: string; actorUpn: string; after: { permissions: { value: string; consentType: string; resourceAppId: string }[] } | null }>(
    `SELECT outcome, justification, "actorUpn", after FROM "AuditEvent" WHERE action = 'baseline.adopted' AND "targetAppId" = $1 AND "occurredAt" >= $2 ORDER BY seq`,
    [TAILSPIN, since],
  );
  expect(events.map((e) => e.outcome)).toEqual(["intended", "succeeded"]);
  expect(events[1]!.justification).toBe("Finance's monthly reports since 2025, owner Megan Bowen, ticket IT-6101");
  expect(events[1]!.after!.permissions).toEqual([{ resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", consentType: "Application", value: "Reports.Read.All" }]);
});

test("a reviewer sees the baseline read-only, and the adopt action refuses them even with an admin's form", async ({ page, context, browser }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/inventory/apps/${LITWARE}`);
  await expect(page.getByTestId("adopt-form")).toBeVisible();
  await page.getByLabel("Justification").fill("Signing contracts for the legal team, ticket IT-6102");
  // The same form posted with a reviewer's session: the action authorizes itself.
  await switchSession(context, browser, account("Security Reader"));
  await page.getByRole("button", { name: /^Adopt \d+ permissions? into the baseline$/ }).click();
  await expect(page.getByTestId("adopt-form").getByRole("status")).toHaveText("Your role does not allow this change.");
  expect(await queryTestDatabase(`SELECT 1 FROM "AppBaseline" WHERE "appId" = $1`, [LITWARE])).toHaveLength(0);

  await page.goto(`/inventory/apps/${LITWARE}`);
  await expect(page.getByTestId("no-baseline")).toBeVisible();
  await expect(page.getByTestId("adopt-form")).toHaveCount(0);
});

test("an admin consents through the admin consent link: what the tenant grants afterwards becomes the app's baseline", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${OUTREACH}/consent-link`);
  await page.getByRole("button", { name: "Make the consent link" }).click();
  await page.getByRole("link", { name: "Open the consent screen" }).click();
  await page.getByLabel("Sign in as").selectOption(account("Global Administrator").id);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("consent-outcome")).toContainText("Consent granted");
  await expect(page.getByTestId("baseline-outcome")).toContainText("Approved baseline: Recorded as approved (version 1)");

  const held = await tenantWideScopes(OUTREACH);
  expect(held).toContain("Mail.ReadWrite");
  await page.goto(`/admin/apps/${OUTREACH}`);
  await expect(page.getByTestId("baseline-approved")).toContainText("granted through the admin consent link");
  for (const scope of held) await expect(page.getByTestId("baseline-permissions")).toContainText(scope);
});
