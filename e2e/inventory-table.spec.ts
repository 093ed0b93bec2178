import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { account, scanFromInventoryPage, signInAs } from "./helpers";
import { clearFaults, resetSimulator } from "./simulator";

// The inventory table's own controls: a header sorts by its column (its natural direction first, then the
// other way), and the column choice hides and shows columns; both are written to the address, so they keep
// each other, survive a reload and travel as links.

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("a reader sorts the inventory by a column and chooses the columns it shows, and both survive a reload", async ({ page }) => {
  test.setTimeout(120_000);
  await signInAs(page, account("Cloud Application Administrator"));
  await scanFromInventoryPage(page);
  const table = page.getByTestId("inventory-table");
  const users = table.getByRole("columnheader", { name: /users consented/i });

  await users.getByRole("link").click();
  await expect(page).toHaveURL(/[?&]sort=users(&|$)/);
  await expect(users).toHaveAttribute("aria-sort", "descending");
  await users.getByRole("link").click();
  await expect(page).toHaveURL(/[?&]dir=asc(&|$)/);
  await expect(users).toHaveAttribute("aria-sort", "ascending");

  await expect(table.getByRole("columnheader", { name: /publisher/i })).toHaveCount(1);
  await page.getByRole("checkbox", { name: "Publisher" }).uncheck();
  await expect(page).toHaveURL(/[?&]hide=publisher(&|$)/);
  await expect(table.getByRole("columnheader", { name: /publisher/i })).toHaveCount(0);
  // The sort chosen before is kept beside the column choice.
  await expect(page).toHaveURL(/[?&]sort=users(&|$)/);

  await page.reload();
  // The table and its controls as rendered: no WCAG 2.1 A or AA violation.
  const axe = await new AxeBuilder({ page }).include('[data-testid="inventory-table"]').include('[data-testid="column-choice"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await expect(page.getByRole("checkbox", { name: "Publisher" })).not.toBeChecked();
  await expect(table.getByRole("columnheader", { name: /publisher/i })).toHaveCount(0);
  await expect(users).toHaveAttribute("aria-sort", "ascending");
  const cells = await page.getByTestId("inventory-row").first().getByRole("cell").count();
  expect(cells).toBe(await table.getByRole("columnheader").count());

  await page.getByRole("checkbox", { name: "Publisher" }).check();
  await expect(table.getByRole("columnheader", { name: /publisher/i })).toHaveCount(1);
  await expect(page).not.toHaveURL(/hide=/);
});
