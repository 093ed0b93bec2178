import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { appendEvents } from "../lib/audit/store";
import { createPool, pgSql } from "../lib/audit/sql";
import { sampleEvent } from "../lib/audit/testing/fixtures";
import { account, signInAs, testDatabaseUrl } from "./helpers";

// The audit trail as a reviewer uses it, against the production build. Events are seeded through
// lib/audit into the stack's own database, for an app ID of this run's own so other tests' events
// cannot blur the filter.
const APP_ID = randomUUID();
const APP_NAME = `Contoso Mail Sync <img src=x onerror=alert(1)> ${APP_ID.slice(0, 4)}`;
const OTHER_APP_ID = randomUUID();
let seeded: string[] = [];

test.beforeAll(async () => {
  const pool = createPool(testDatabaseUrl(), 1);
  try {
    const sql = pgSql(pool);
    const records = await appendEvents(sql, [
      sampleEvent({ targetAppId: APP_ID, targetName: APP_NAME, action: "consent.grantDelegated", outcome: "intended", after: null, graphRequestIds: [] }),
      sampleEvent({ targetAppId: APP_ID, targetName: APP_NAME, action: "consent.grantDelegated", before: { scope: "User.Read" }, after: { scope: "User.Read Mail.ReadWrite offline_access" }, graphRequestIds: ["a6c2e1f0-0000-4000-8000-00000000e2e1"], justification: "=HYPERLINK(\"https://evil.example\") sales mail sync" }),
      sampleEvent({ targetAppId: OTHER_APP_ID, targetName: "Some other app", action: "consent.revoke" }),
      sampleEvent({ targetAppId: APP_ID, targetName: APP_NAME, action: "consent.revoke", outcome: "failed", graphRequestIds: ["b7d3f2a1-0000-4000-8000-00000000e2e2"] }),
    ]);
    seeded = records.filter((r) => r.targetAppId === APP_ID).map((r) => r.seq.toString());
  } finally {
    await pool.end();
  }
});

test("a reviewer filters to one app, opens an event, and exports exactly that filter as CSV", async ({ page }) => {
  await signInAs(page, account("Security Reader"));
  await page.getByRole("link", { name: /Browse the audit log/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Audit trail" })).toBeVisible();

  await page.getByLabel("App (app ID or name)").fill(APP_ID);
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?app=${APP_ID}`));
  const rows = page.getByTestId("audit-row");
  await expect(rows).toHaveCount(3);
  // The deep link survives a reload; the app name is shown as text, never as markup.
  await page.reload();
  await expect(rows).toHaveCount(3);
  await expect(page.getByTestId("audit-row-app").first()).toHaveText(APP_NAME);
  expect(await page.locator("img[src=x]").count()).toBe(0);

  const successSeq = seeded[1]!;
  await page.getByRole("link", { name: `Event ${successSeq}`, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Event ${successSeq}`);
  const diff = page.getByTestId("audit-diff");
  await expect(diff).toContainText("scope");
  await expect(diff).toContainText("+ Mail.ReadWrite");
  await expect(diff).toContainText("+ offline_access");
  await expect(page.getByTestId("graph-request-ids")).toHaveText("a6c2e1f0-0000-4000-8000-00000000e2e1");
  await expect(page.getByTestId("fact-justification")).toHaveText("=HYPERLINK(\"https://evil.example\") sales mail sync");

  await page.getByRole("link", { name: "← Back to the audit trail" }).click();
  await expect(page).toHaveURL(new RegExp(`app=${APP_ID}`));
  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const [header, ...lines] = csv.trimEnd().split("\n");
  expect(header?.split(",").slice(0, 3)).toEqual(["seq", "occurredAt", "source"]);
  expect(lines).toHaveLength(3);
  expect(lines.map((line) => line.split(",")[0])).toEqual([...seeded].reverse());
  for (const line of lines) {
    expect(line).toContain(APP_ID);
    expect(line).not.toContain(OTHER_APP_ID);
  }
  // S9: the formula in the justification is neutralized in the file.
  expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"") sales mail sync"`);
  expect(csv).not.toContain("eyJ");
});

test("a reviewer verifies the chain and downloads its head", async ({ page }) => {
  await signInAs(page, account("Security Reader"));
  await page.goto("/audit/verify");
  await page.getByRole("button", { name: "Verify now" }).click();
  await expect(page.getByTestId("verify-result")).toContainText(/OK: [\d,]+ events, chain intact\./);
  const head = await page.request.get("/audit/head");
  expect(head.status()).toBe(200);
  expect(await head.json()).toMatchObject({ kind: "admin-consent-portal.audit-head", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
});

test("a reviewer imports consent made in Entra outside the portal, shown as source Entra", async ({ page }) => {
  await signInAs(page, account("Security Reader"));
  await page.goto("/audit");
  await page.getByRole("button", { name: "Import consent events from Entra" }).click();
  await expect(page.getByRole("status").filter({ hasText: "consent events from Entra" })).toContainText(/Read \d+ consent events from Entra's audit log; \d+ were new/);
  await page.goto("/audit?source=entra");
  // Other tests' changes in the simulated tenant are imported too: look for Entra's own consent record.
  const consent = page.getByTestId("audit-row").filter({ hasText: "Consent to application" }).first();
  await expect(consent).toContainText("Entra");
  // Idempotent: a second import adds nothing.
  await page.getByRole("button", { name: "Import consent events from Entra" }).click();
  await expect(page.getByRole("status").filter({ hasText: "consent events from Entra" })).toContainText("; 0 were new");
});

test("a regular user cannot reach the audit pages or the export", async ({ page }) => {
  await signInAs(page, account("User"));
  for (const path of ["/audit", `/audit?app=${APP_ID}`, `/audit/${seeded[0]}`, "/audit/verify"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "This page is not for your role" })).toBeVisible();
  }
  for (const path of ["/audit/export?format=csv", `/audit/export?format=jsonl&app=${APP_ID}`, "/audit/head"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(403);
    expect(await response.text()).not.toContain(APP_ID);
  }
});

test("signed out, the export redirects to sign-in and returns no data", async ({ request }) => {
  const response = await request.get(`/audit/export?format=csv&app=${APP_ID}`, { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers().location).toContain("/signin?callbackUrl=");
});

test("a reviewer sorts the changes by app and by actor, and the order stays in the URL and the page links", async ({ page }) => {
  // Changes of one action of this test's own, by two actors on two apps, so the sort is all that orders them.
  const action = `e2e.sort.${randomUUID().slice(0, 8)}`;
  const zed = { actorOid: randomUUID(), actorUpn: "zed@contoso.test", actorName: "Zed Adams" };
  const ann = { actorOid: randomUUID(), actorUpn: "ann@contoso.test", actorName: "ann Baker" };
  const pool = createPool(testDatabaseUrl(), 1);
  try {
    const base = Date.now() - 60_000;
    await appendEvents(pgSql(pool), [
      sampleEvent({ action, ...zed, targetAppId: randomUUID(), targetName: "Alpha Notes", occurredAt: new Date(base) }),
      sampleEvent({ action, ...ann, targetAppId: randomUUID(), targetName: "beta Mail", occurredAt: new Date(base + 1000) }),
      sampleEvent({ action, ...zed, targetAppId: randomUUID(), targetName: "Charlie Files", occurredAt: new Date(base + 2000) }),
    ]);
  } finally {
    await pool.end();
  }
  await signInAs(page, account("Security Reader"));
  await page.goto(`/audit?action=${action}`);
  const apps = page.getByTestId("audit-row-app");
  await expect(apps).toHaveText(["Charlie Files", "beta Mail", "Alpha Notes"]);

  await page.getByLabel("Order").selectOption({ label: "By app (A–Z)" });
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page).toHaveURL(new RegExp(`/audit\\?action=${action.replace(/\./g, "\\.")}&sort=app$`));
  await expect(apps).toHaveText(["Alpha Notes", "beta Mail", "Charlie Files"]);

  await page.goto(`/audit?action=${action}&sort=actor`);
  await expect(page.getByLabel("Order")).toHaveValue("actor");
  // ann (case-insensitive before Zed), then Zed's two changes, newest first.
  await expect(apps).toHaveText(["beta Mail", "Charlie Files", "Alpha Notes"]);
  // Opening a change and coming back keeps the order.
  await page.getByTestId("audit-row").first().getByRole("link", { name: /^Event / }).click();
  await page.getByRole("link", { name: "← Back to the audit trail" }).click();
  await expect(page).toHaveURL(/sort=actor/);
  await expect(apps).toHaveText(["beta Mail", "Charlie Files", "Alpha Notes"]);
});
