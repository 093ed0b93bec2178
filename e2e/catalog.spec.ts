import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { account, signInAs } from "./helpers";
import { resetSimulator } from "./simulator";

test.beforeEach(async ({ page }) => {
  await resetSimulator();
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/apps");
});

test("bad input gets a clear message and stores nothing", async ({ page }) => {
  const before = await page.getByTestId("catalog").getByRole("listitem").count();
  await page.getByLabel("App ID, or its consent or sign-in URL").fill("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code");
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByTestId("add-app-status")).toContainText("That URL has no client_id");
  await expect(page.getByTestId("add-app-status")).toContainText("Nothing was stored.");

  await page.getByLabel("App ID, or its consent or sign-in URL").fill("not-a-guid");
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByTestId("add-app-status")).toContainText("is not an app ID");
  await page.reload();
  await expect(page.getByTestId("catalog").getByRole("listitem")).toHaveCount(before);
});

test("an app not in the tenant is added from its sign-in URL, with a name", async ({ page }) => {
  const appId = randomUUID();
  const url = `https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=${appId}&scope=openid%20https%3A%2F%2Fgraph.microsoft.com%2FMail.Read%20Calendars.Read`;
  await page.getByLabel("App ID, or its consent or sign-in URL").fill(url);
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByTestId("add-app-status")).toContainText("give it one");

  await page.getByLabel(/^Name/).fill("Fabrikam Scheduler");
  await page.getByRole("button", { name: "Add to the catalog" }).click();
  await expect(page.getByTestId("add-app-status")).toContainText("Fabrikam Scheduler was added to the catalog.");
  await page.getByRole("link", { name: "Open it" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Fabrikam Scheduler");
  await page.getByRole("link", { name: "Grant tenant-wide consent" }).click();
  await expect(page.getByRole("checkbox")).toHaveCount(2);
});

test("an app already in the tenant is picked from the list and keeps what it holds", async ({ page }) => {
  await page.getByRole("button", { name: "Add Litware Sign" }).click();
  // Once added it leaves the "already in your tenant" list and joins the catalog.
  await expect(page.getByRole("button", { name: "Add Litware Sign" })).toHaveCount(0);
  await page.getByTestId("catalog").getByRole("link", { name: /Litware Sign/ }).click();
  await expect(page.getByTestId("sp-state")).toContainText("Present");
});
