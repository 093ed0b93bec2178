import { expect, test } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs } from "./helpers";
import { resetSimulator } from "./simulator";

const appId = (name: string) => catalog.apps.find((app) => app.displayName === name)!.appId;

test.beforeEach(async () => {
  await resetSimulator();
});

test("the vendor recipe recommends an option with reasons and links to its wizard", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${appId("Office 365 Admin for Okta Workflows")}/recipe`);
  const recommended = page.getByTestId("recommended");
  await expect(recommended.getByRole("heading")).toHaveText("Grant tenant-wide admin consent");
  await expect(recommended).toContainText("The app needs application permissions");
  await expect(page.getByTestId("recipe")).toContainText("Not possible for this app");

  await page.goto(`/admin/apps/${appId("Office 365 Mail for Okta Workflows")}/recipe`);
  await expect(page.getByTestId("recipe")).toContainText("Classify as low impact: Mail.ReadWrite, Mail.ReadWrite.Shared, Mail.Send");
  await recommended.getByRole("link", { name: "Open the wizard" }).click();
  await expect(page).toHaveURL(/\/grant$/);
});
