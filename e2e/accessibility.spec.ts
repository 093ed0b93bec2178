import AxeBuilder from "@axe-core/playwright";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { TEST_PORTS } from "../playwright.config";
import { account, signInAs } from "./helpers";
import { resetSimulator } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;

/** WCAG 2.1 A and AA violations axe finds on the page as rendered, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

const PAGES = {
  "Global Administrator": ["/admin", "/admin/apps", `/admin/apps/${NYLAS}`, `/admin/apps/${NYLAS}/grant`, `/admin/apps/${NYLAS}/grant?step=preview`, `/admin/apps/${NYLAS}/revoke`, `/admin/apps/${NYLAS}/access`, `/admin/apps/${NYLAS}/recipe`, "/admin/policies", "/admin/policies/user-consent", "/admin/policies/consent-workflow", "/admin/policies/classifications", "/admin/policies/group-consent", "/admin/policies/document", "/admin/entra-requests", "/admin/requests"],
  "Security Reader": ["/review", "/review/settings-document", "/audit", "/audit/verify"],
  User: ["/my-apps", `/my-apps/apps/${NYLAS}`, "/my-apps/troubleshoot"],
} as const;

/** Pages scanned again with the system set to dark: the dark theme must keep the same contrast. */
const DARK: Partial<Record<keyof typeof PAGES, string[]>> = { "Global Administrator": ["/admin", "/admin/apps"], "Security Reader": ["/audit"] };

// One test per page, so each scan has the whole test budget on a busy machine; each role signs in
// once for its pages (one browser context shared by its tests, run in order).
for (const [role, paths] of Object.entries(PAGES) as [keyof typeof PAGES, readonly string[]][]) {
  test.describe(`${role}`, () => {
    test.describe.configure({ mode: "serial" });
    let context: BrowserContext;
    test.beforeAll(async ({ browser }) => {
      await resetSimulator();
      context = await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.portal}`, ignoreHTTPSErrors: true });
      await signInAs(await context.newPage(), account(role));
    });
    test.afterAll(async () => {
      await context.close();
    });
    for (const path of paths) {
      test(`${path} has no WCAG 2.1 AA violations axe can find`, async () => {
        const page = await context.newPage();
        await page.goto(path);
        await expect(page.getByTestId("page-skeleton")).toHaveCount(0);
        expect(await violations(page)).toEqual([]);
        await page.close();
      });
    }
    for (const path of DARK[role] ?? []) {
      test(`${path} in the dark theme has no WCAG 2.1 AA violations axe can find`, async () => {
        const page = await context.newPage();
        await page.emulateMedia({ colorScheme: "dark" });
        await page.goto(path);
        await expect(page.getByTestId("page-skeleton")).toHaveCount(0);
        expect(await violations(page)).toEqual([]);
        await page.close();
      });
    }
  });
}

test("the sign-in page has no WCAG 2.1 AA violations axe can find", async ({ page }) => {
  await page.goto("/signin");
  expect(await violations(page)).toEqual([]);
});
