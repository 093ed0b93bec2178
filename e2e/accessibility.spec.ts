import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs } from "./helpers";
import { resetSimulator } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;

/** WCAG 2.1 A and AA violations axe finds on the page as rendered, as readable lines. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test.beforeEach(async () => {
  await resetSimulator();
});

const PAGES = {
  "Global Administrator": ["/admin", "/admin/apps", `/admin/apps/${NYLAS}`, `/admin/apps/${NYLAS}/grant`, `/admin/apps/${NYLAS}/grant?step=preview`, `/admin/apps/${NYLAS}/revoke`, `/admin/apps/${NYLAS}/access`, `/admin/apps/${NYLAS}/recipe`, "/admin/policies", "/admin/policies/user-consent", "/admin/policies/consent-workflow", "/admin/policies/classifications", "/admin/policies/group-consent", "/admin/entra-requests", "/admin/requests"],
  "Security Reader": ["/review", "/audit", "/audit/verify"],
  User: ["/my-apps", `/my-apps/apps/${NYLAS}`, "/my-apps/troubleshoot"],
} as const;

for (const [role, paths] of Object.entries(PAGES)) {
  test(`${role}: the pages have no WCAG 2.1 AA violations axe can find`, async ({ page }) => {
    await signInAs(page, account(role));
    const found: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      found.push(...(await violations(page)).map((line) => `${path}: ${line}`));
    }
    expect(found).toEqual([]);
  });
}

test("the sign-in page has no WCAG 2.1 AA violations axe can find", async ({ page }) => {
  await page.goto("/signin");
  expect(await violations(page)).toEqual([]);
});
