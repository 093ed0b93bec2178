import { expect, test, type Page } from "@playwright/test";
import vendorApps from "../sim/fixtures/vendor-apps.json";
import { account, docsScreenshot, signInAs } from "./helpers";
import { graphGet, graphToken, LOGIN, resetSimulator } from "./simulator";

/**
 * Seed 000 option 3 marks Okta's Mail set "low impact", and two of them (Mail.ReadWrite, Mail.Send) are
 * high risk: the preview says that every user can then grant them to every verified publisher's app,
 * lists the known apps that ask for them, and applying needs an explicit acknowledgment.
 */
const GRAPH_SP = "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')";
const OKTA = vendorApps.apps.find((app) => app.displayName === "Office 365 Mail for Okta Workflows")!;

async function classified(): Promise<string[]> {
  const token = await graphToken(account("Security Reader"), "Policy.Read.All Directory.Read.All");
  const { value } = await graphGet<{ value: { permissionName: string }[] }>(token, `${GRAPH_SP}/delegatedPermissionClassifications`);
  return value.map((c) => c.permissionName).sort();
}

async function rileyOpensOkta(page: Page) {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(account("User").id);
  await page.getByLabel("App").selectOption(OKTA.appId);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test.beforeEach(async () => {
  await resetSimulator();
});

test("classifying the Okta Mail set warns about its high-risk permissions and applies only with an acknowledgment", async ({ page }) => {
  const before = await classified();
  // Today Riley cannot grant Okta her mailbox herself.
  await rileyOpensOkta(page);
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");

  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/policies/classifications");
  await page.getByRole("link", { name: "Apply the Okta Office 365 Mail set" }).click();

  const warning = page.getByTestId("classification-warning");
  await expect(warning).toContainText("2 permissions you chose are high risk");
  // Named in the grouped list every preview uses: Microsoft Graph, High risk, open.
  const highRisk = warning.getByTestId("high-risk-permissions").getByTestId("permission-group");
  await expect(highRisk).toHaveAttribute("data-risk", "High");
  await expect(highRisk).toHaveAttribute("open", "");
  await expect(highRisk.locator("li .font-mono")).toHaveText(["Mail.ReadWrite", "Mail.Send"]);
  await expect(warning).toContainText("every user can grant them to every app from a verified publisher");
  await expect(warning).toContainText("takes effect at once");
  const apps = page.getByTestId("apps-asking");
  const okta = apps.getByTestId("app-asking").filter({ hasText: "Office 365 Mail for Okta Workflows" });
  await expect(okta).toContainText("Office 365 Mail for Okta Workflows (Okta, Inc., verified publisher: users could grant these to it, not in your tenant yet) asks for all of them.");
  await expect(okta.getByTestId("permission-group").locator("li .font-mono")).toHaveText(["Mail.ReadWrite", "Mail.Send"]);
  await expect(apps).toContainText("Nylas");
  await expect(apps).toContainText("Outreach (Outreach Corporation, publisher not verified: still only an admin");
  // High-risk rows are not shown as good news.
  const mailSend = page.getByTestId("classification-plan").getByRole("row").filter({ has: page.getByRole("cell", { name: "Mail.Send", exact: true }) });
  await expect(mailSend).toContainText("every user could grant this high-risk permission");
  await expect(mailSend.locator("td").nth(2)).not.toHaveClass(/green/);
  await docsScreenshot(page, "classification-warning");

  await page.getByLabel("Justification").fill("Okta Workflows Office 365 Mail connector, option 3");
  const ack = page.getByRole("checkbox", { name: /I understand that every user will be able to grant Mail\.ReadWrite, Mail\.Send/ });
  await expect(ack).toBeVisible();

  // Without the acknowledgment the server refuses too (the form's own check taken away), and nothing changes.
  await ack.evaluate((input) => input.removeAttribute("required"));
  await page.getByRole("button", { name: "Mark 5 permissions low impact" }).click();
  await expect(page.getByTestId("refusal")).toContainText("Tick the acknowledgment to go ahead. Nothing was changed.");
  expect(await classified()).toEqual(before);

  await page.getByLabel("Justification").fill("Okta Workflows Office 365 Mail connector, option 3");
  await page.getByRole("checkbox", { name: /I understand that every user will be able/ }).check();
  await page.getByRole("button", { name: "Mark 5 permissions low impact" }).click();
  await expect(page.getByTestId("result-message")).toContainText("classified Mail.ReadWrite, Mail.ReadWrite.Shared, Mail.Send, Mail.Send.Shared, offline_access as low impact");
  expect(await classified()).toEqual([...before, "Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "offline_access"].sort());

  // What the warning said: Riley can now grant Okta (a verified publisher's app) her mailbox herself.
  await rileyOpensOkta(page);
  await expect(page.getByTestId("outcome")).toHaveText("Permissions requested");
});
