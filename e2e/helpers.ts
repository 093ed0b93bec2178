import path from "node:path";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import pg from "pg";
import users from "../sim/fixtures/users.json";
import { TEST_PORTS } from "../playwright.config";
import { embeddedDatabaseUrlOf } from "../scripts/lib/embedded-database-password";

export type SeededAccount = (typeof users)[number];

export function account(roleLabel: string): SeededAccount {
  const found = users.find((user) => user.roleLabel === roleLabel);
  if (!found) throw new Error(`no seeded account with role ${roleLabel}`);
  return found;
}

/** Picks `who` on the simulated tenant's sign-in page, starting from the portal's sign-in button. */
export async function pickAccount(page: Page, who: SeededAccount) {
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(who.userPrincipalName.replace(".", "\\.")) }).click();
}

export async function signInAs(page: Page, who: SeededAccount) {
  await page.goto("/signin");
  await pickAccount(page, who);
  await expect(page.getByTestId("signed-in-name")).toHaveText(who.displayName);
}

/**
 * The test stack's database: DATABASE_URL when set (PostgreSQL), else the embedded one, with the
 * password from its data folder: PORTAL_DATA_DIR=.data/test of playwright.config.ts, resolved against the
 * working directory as the start script resolves it.
 */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL || embeddedDatabaseUrlOf(path.resolve(".data", "test"), TEST_PORTS.database);
}

/** Runs `use` on a connection of its own to the test stack's database, closed afterwards even when `use` throws. */
export async function withTestDatabase<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** One statement on the test stack's database, on a connection of its own: what the portal stored, or a state a test sets up. */
export async function queryTestDatabase<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return withTestDatabase(async (client) => (await client.query(text, values)).rows as T[]);
}

/** Starts a scan from the inventory page and follows its progress panel until it completes and the new inventory shows. */
export async function scanFromInventoryPage(page: Page): Promise<void> {
  await page.goto("/inventory");
  const panel = page.getByTestId("scan-panel");
  const progress = panel.getByTestId("scan-progress");
  const previous = (await progress.count()) > 0 ? await progress.getAttribute("data-scan") : null;
  await panel.getByRole("button", { name: "Start a scan" }).click();
  // The panel reads the new scan's progress from the database while it runs, then the page shows the new inventory.
  if (previous) await expect(progress).not.toHaveAttribute("data-scan", previous);
  await expect(progress).toHaveAttribute("data-status", "completed", { timeout: 60_000 });
  await expect(panel.getByTestId("scan-pages")).not.toHaveText("0");
  await expect(panel.getByTestId("scan-items")).not.toHaveText("0");
  await expect(page.getByTestId("inventory-table")).toBeVisible();
}

/**
 * Replaces the session in `context` with one of `who`, keeping the pages as they are: a form loaded by
 * an admin can then be submitted as someone else, which posts the real server action with the real
 * payload — the way to prove that actions authorize themselves (S1).
 */
export async function switchSession(context: BrowserContext, browser: Browser, who: SeededAccount): Promise<void> {
  const other = await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.portal}`, ignoreHTTPSErrors: true });
  const page = await other.newPage();
  await signInAs(page, who);
  const cookies = await other.cookies();
  await other.close();
  await context.clearCookies();
  await context.addCookies(cookies);
}

/**
 * The screenshots in docs/images are refreshed on demand (`DOCS_SCREENSHOTS=1 npm run test:e2e`), so
 * an ordinary test run leaves the working tree as it was.
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS !== "1") return;
  // A full-page picture would draw the wizards' confirm bar (fixed to the viewport) over the middle of the
  // page: for the picture it sits where the form ends, then goes back to the bottom of the viewport.
  const bars = page.getByTestId("confirm-bar");
  const placeBars = (position: string) => bars.evaluateAll((elements, value) => elements.forEach((element) => ((element as HTMLElement).style.position = value)), position);
  await placeBars("static");
  await page.screenshot({ path: `docs/images/${name}.png`, fullPage: true });
  await placeBars("");
}
