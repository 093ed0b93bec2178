import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { appendEvents } from "../lib/audit/store";
import { createPool, pgSql } from "../lib/audit/sql";
import { sampleEvent } from "../lib/audit/testing/fixtures";
import { account, docsScreenshot, queryTestDatabase, signInAs, testDatabaseUrl } from "./helpers";
import { resetSimulator } from "./simulator";

// Getting around: each role's navigation, breadcrumbs back from deep pages, the admin dashboard's
// numbers against the database and Entra's queue, and the audit trail's one row per change.

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!;

test.beforeAll(async () => {
  await resetSimulator();
});

const navLinks = (page: import("@playwright/test").Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link");

test("each role sees its own sections, and only those", async ({ browser }) => {
  const expected = {
    "Global Administrator": ["Home", "Apps", "Requests", "Entra requests", "Policies", "Inventory", "Recertification", "Audit"],
    "Security Reader": ["Home", "Inventory", "Recertification", "Audit"],
    User: ["My apps"],
  };
  for (const [role, labels] of Object.entries(expected)) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: test.info().project.use.baseURL });
    const page = await context.newPage();
    await signInAs(page, account(role));
    await expect(navLinks(page)).toHaveText(labels);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: labels[0], exact: true })).toHaveAttribute("aria-current", "page");
    await context.close();
  }
});

test("an admin moves between sections and comes back from a deep page by its breadcrumbs", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Apps", exact: true }).click();
  await expect(page).toHaveURL("/admin/apps");
  await expect(nav.getByRole("link", { name: "Apps", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Home", exact: true })).not.toHaveAttribute("aria-current", "page");

  await page.goto(`/admin/apps/${NYLAS.appId}/grant`);
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs.getByRole("listitem")).toHaveText(["Home/", "Apps/", "Nylas/", "Grant consent"]);
  await expect(nav.getByRole("link", { name: "Apps", exact: true })).toHaveAttribute("aria-current", "page");
  await docsScreenshot(page, "navigation");
  await crumbs.getByRole("link", { name: "Nylas" }).click();
  await expect(page).toHaveURL(`/admin/apps/${NYLAS.appId}`);
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Apps" }).click();
  await expect(page).toHaveURL("/admin/apps");
});

test("the admin home counts the requests waiting as the database and Entra's queue hold them", async ({ page }) => {
  const open = Number((await queryTestDatabase<{ n: string }>(`SELECT count(*)::text AS n FROM "ConsentRequest" WHERE status = 'open'`))[0]!.n);
  await signInAs(page, account("Global Administrator"));
  await expect(page.getByTestId("portal-requests-waiting")).toHaveText(String(open));

  await page.goto("/admin/entra-requests");
  const pending = await page.getByTestId("request-status").filter({ hasText: "Pending" }).count();
  await page.goto("/admin");
  await expect(page.getByTestId("entra-requests-waiting")).toHaveText(String(pending));
  if (open + pending > 0) await expect(page.getByTestId("attention-list")).toContainText(`${open + pending} request`);
  await expect(page.getByTestId("inventory-headline")).toContainText(/Run the first inventory scan|high-risk apps/);
  await expect(page.getByTestId("recent-changes")).toBeVisible();
  await docsScreenshot(page, "dashboard");
});

test("the audit trail shows one row per change, said in words, with its events behind it", async ({ page }) => {
  const appId = randomUUID();
  const name = `Nylas ${appId.slice(0, 6)}`;
  const correlationId = randomUUID();
  const pool = createPool(testDatabaseUrl(), 1);
  let seqs: string[];
  try {
    const target = { targetAppId: appId, targetName: `${name} → Microsoft Graph`, action: "grant.delegated.allPrincipals", correlationId };
    const records = await appendEvents(pgSql(pool), [
      sampleEvent({ ...target, outcome: "intended", before: { scope: "User.Read" }, after: null, graphRequestIds: [] }),
      sampleEvent({ ...target, before: { scope: "User.Read" }, after: { scope: "User.Read Mail.Send Mail.Read offline_access Calendars.Read" } }),
      sampleEvent({ targetAppId: appId, targetName: name, action: "access.signIn", after: { accountEnabled: false }, outcome: "failed" }),
    ]);
    seqs = records.map((r) => r.seq.toString());
  } finally {
    await pool.end();
  }

  await signInAs(page, account("Security Reader"));
  await page.goto(`/audit?app=${appId}`);
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("audit-total")).toHaveText("2 changes (3 events)");
  await expect(rows.nth(0).getByTestId("audit-sentence")).toHaveText(`Alex Wilber tried to disable sign-in to ${name}`);
  const grant = rows.nth(1);
  await expect(grant.getByTestId("audit-sentence")).toHaveText(`Alex Wilber granted Mail.Send and 3 more to ${name} for all users`);
  await grant.getByText("2 events").click();
  await expect(grant.getByTestId("audit-row-events").getByRole("link")).toHaveText([`Event ${seqs[0]}`, `Event ${seqs[1]}`]);
  // Times in the reader's zone, UTC on hover.
  await expect(grant.locator("time").first()).toHaveAttribute("title", / UTC$/);
  await docsScreenshot(page, "audit-changes");

  await page.getByLabel("Order").selectOption("oldest");
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page).toHaveURL(/sort=oldest/);
  await expect(rows.nth(0).getByTestId("audit-sentence")).toContainText("granted Mail.Send");

  // The intent says what it was about to do, with no Graph support note; its outcome carries the call.
  const oldest = rows.nth(0);
  await oldest.getByText("2 events").click();
  await oldest.getByRole("link", { name: `Event ${seqs[0]}`, exact: true }).click();
  await expect(page.getByText("None: this event records what was about to be done")).toBeVisible();
  await expect(page.getByText("Give these to Microsoft support")).toHaveCount(0);
});

test("the portal has an icon: /favicon.ico answers and pages link an icon", async ({ page, request }) => {
  const favicon = await request.get("/favicon.ico");
  expect(favicon.status()).toBe(200);
  expect((await favicon.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
  await page.goto("/signin");
  const href = await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute("href");
  expect((await request.get(href!)).headers()["content-type"]).toContain("image/svg+xml");
});
