import { expect, test } from "@playwright/test";
import pg from "pg";
import catalog from "../lib/catalog/starting-catalog.json";
import users from "../sim/fixtures/users.json";
import { account, docsScreenshot, pickAccount, signInAs, testDatabaseUrl } from "./helpers";
import { resetSimulator, waitForMail } from "./simulator";

// Recertification end to end: an admin names the owner of an app with an approved baseline and sends the
// re-attestation reminder; the owner opens the link in the mail from the simulated tenant's mail sink,
// signs in, re-attests with one click, and the attestation, its audit event and the next due date follow.

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!;
const GRAPH = "00000003-0000-0000-c000-000000000000";
const DAY = 86_400_000;
const day = (at: Date) => at.toISOString().slice(0, 10);

let pool: pg.Pool;

test.beforeAll(async () => {
  await resetSimulator();
  pool = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
  // Nylas approved 400 days ago: overdue whatever its period (its risk level, and so its period, comes from
  // the latest inventory scan when one ran before this spec, else from these High-risk permissions).
  await pool.query(`DELETE FROM "Attestation" WHERE "appId" = $1`, [NYLAS.appId]);
  await pool.query(`DELETE FROM "AppRecertification" WHERE "appId" = $1`, [NYLAS.appId]);
  await pool.query(`DELETE FROM "AppBaseline" WHERE "appId" = $1`, [NYLAS.appId]);
  const alex = account("Global Administrator");
  const permissions = [
    { resourceAppId: GRAPH, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "Calendars.ReadWrite" },
    { resourceAppId: GRAPH, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "Mail.ReadWrite" },
    { resourceAppId: GRAPH, resourceName: "Microsoft Graph", consentType: "Application", value: "User.Read.All" },
  ];
  await pool.query(
    `INSERT INTO "AppBaseline" ("appId", "displayName", permissions, source, justification, "approvedByOid", "approvedByUpn", "approvedByName", "approvedAt")
     VALUES ($1, 'Nylas', $2, 'grant', 'Calendar sync for the sales team', $3, $4, $5, $6)`,
    [NYLAS.appId, JSON.stringify(permissions), alex.id, alex.userPrincipalName, alex.displayName, new Date(Date.now() - 400 * DAY)],
  );
});

test.afterAll(async () => {
  await pool?.end();
});

test("an owner re-attests from the link in the reminder mail, and the dashboard shows the next due date", async ({ page, browser }) => {
  const riley = account("User");
  await signInAs(page, account("Global Administrator"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Recertification" }).click();
  const row = page.getByTestId("recert-row").filter({ hasText: "Nylas" });
  await expect(row.getByTestId("recert-state")).toHaveText("Overdue");

  // The admin names Riley as the owner, picked from the directory, and gives the app its own period.
  await row.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Recertification of Nylas" })).toBeVisible();
  await page.getByLabel("Find an owner", { exact: true }).fill("Riley");
  await page.getByRole("button", { name: "Search the directory" }).click();
  await page.getByLabel(`Riley Chen (${riley.userPrincipalName})`).check();
  await page.getByLabel("Period in days").fill("30");
  await page.getByLabel("Justification").fill("Riley runs the sales calendar sync");
  await page.getByRole("button", { name: "Save the settings" }).click();
  await expect(page.getByTestId("app-settings-message")).toContainText("Saved. Nylas is next due on");

  await page.getByRole("button", { name: "Send the reminder now" }).click();
  await expect(page.getByTestId("send-reminder-message")).toHaveText(`Reminder sent to Riley Chen (${riley.userPrincipalName}).`);

  const mail = await waitForMail((m) => m.to.includes(riley.userPrincipalName) && m.subject.startsWith("Re-attest Nylas by "));
  const link = mail.text.match(/https?:\/\/\S+\/attest\/[0-9a-f-]{36}\?due=\d{4}-\d{2}-\d{2}/)?.[0];
  expect(link, mail.text).toBeDefined();
  const target = new URL(link!);
  expect(target.pathname).toBe(`/attest/${NYLAS.appId}`);

  // Someone else with the link is not the owner: no button.
  const jordanContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, ignoreHTTPSErrors: true });
  const jordan = await jordanContext.newPage();
  await jordan.goto(`${target.pathname}${target.search}`);
  await pickAccount(jordan, users.find((u) => u.displayName === "Jordan Diaz")!);
  await expect(jordan.getByTestId("attest-not-allowed")).toBeVisible();
  await expect(jordan.getByRole("button", { name: "Still needed, still these permissions" })).toHaveCount(0);
  await jordanContext.close();

  // Riley opens the link signed out, signs in, and lands on the app with its approved permissions.
  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, ignoreHTTPSErrors: true });
  const owner = await ownerContext.newPage();
  await owner.goto(`${target.pathname}${target.search}`);
  await expect(owner).toHaveURL(/\/signin\?callbackUrl=/);
  await pickAccount(owner, riley);
  await expect(owner.getByRole("heading", { name: "Re-attest Nylas" })).toBeVisible();
  await expect(owner.getByTestId("attest-permissions")).toContainText("Mail.ReadWrite");
  await expect(owner.getByTestId("attest-permissions")).toContainText("User.Read.All");
  await docsScreenshot(owner, "recertification-attest");
  await owner.getByRole("button", { name: "Still needed, still these permissions" }).click();
  await expect(owner.getByTestId("attest-result")).toContainText("Nylas is re-attested. The next re-attestation is due on");

  // The attestation and its audit event, by Riley, with the next due date a period from now.
  const attestation = (await pool.query<{ decision: string; attestedByUpn: string; createdAt: Date; permissions: { value: string }[] }>(`SELECT decision, "attestedByUpn", "createdAt", permissions FROM "Attestation" WHERE "appId" = $1`, [NYLAS.appId])).rows;
  expect(attestation).toHaveLength(1);
  expect(attestation[0]).toMatchObject({ decision: "attested", attestedByUpn: riley.userPrincipalName });
  expect(attestation[0]!.permissions.map((p) => p.value).sort()).toEqual(["Calendars.ReadWrite", "Mail.ReadWrite", "User.Read.All"]);
  const nextDue = day(new Date(attestation[0]!.createdAt.getTime() + 30 * DAY));
  await expect(owner.getByTestId("attest-result")).toContainText(nextDue);
  const events = (await pool.query<{ outcome: string; actorUpn: string; after: { dueAt: string } | null }>(`SELECT outcome, "actorUpn", after FROM "AuditEvent" WHERE action = 'recertification.attest' AND "targetAppId" = $1 ORDER BY seq`, [NYLAS.appId])).rows;
  expect(events.map((e) => e.outcome)).toEqual(["intended", "succeeded"]);
  expect(events[1]).toMatchObject({ actorUpn: riley.userPrincipalName });
  expect(day(new Date(events[1]!.after!.dueAt))).toBe(nextDue);
  const reminders = (await pool.query(`SELECT 1 FROM "AuditEvent" WHERE action = 'recertification.reminder' AND "targetAppId" = $1 AND outcome = 'succeeded'`, [NYLAS.appId])).rowCount;
  expect(reminders).toBe(1);
  await ownerContext.close();

  // The dashboard: attested, by Riley, due a period from now, under Riley's name.
  await page.goto(`/review/recertification?owner=${encodeURIComponent(riley.userPrincipalName)}`);
  const attested = page.getByTestId("owner-group").filter({ hasText: `Riley Chen (${riley.userPrincipalName})` }).getByTestId("recert-row").filter({ hasText: "Nylas" });
  await expect(attested.getByTestId("recert-state")).toHaveText("Attested");
  await expect(attested.getByTestId("recert-due")).toHaveText(nextDue);
  await expect(attested.getByTestId("recert-last")).toContainText(`by ${riley.userPrincipalName}`);
  await docsScreenshot(page, "recertification-dashboard");
});

test("an owner proposes revocation: the reviewers get a mail that leads to the revoke wizard, and the dashboard shows it", async ({ page, browser }) => {
  const riley = account("User");
  const alex = account("Global Administrator");
  const OUTREACH = catalog.apps.find((app) => app.displayName === "Outreach")!;
  const note = `The sales team moved off Outreach, ticket IT-${Date.now() % 10_000}`;
  // Outreach approved and due, with Riley as its named owner.
  await pool.query(`DELETE FROM "Attestation" WHERE "appId" = $1`, [OUTREACH.appId]);
  await pool.query(`DELETE FROM "AppRecertification" WHERE "appId" = $1`, [OUTREACH.appId]);
  await pool.query(`DELETE FROM "AppBaseline" WHERE "appId" = $1`, [OUTREACH.appId]);
  await pool.query(
    `INSERT INTO "AppBaseline" ("appId", "displayName", permissions, source, justification, "approvedByOid", "approvedByUpn", "approvedByName", "approvedAt")
     VALUES ($1, 'Outreach', $2, 'grant', 'Sales engagement', $3, $4, $5, $6)`,
    [OUTREACH.appId, JSON.stringify([{ resourceAppId: GRAPH, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "Mail.Send" }]), alex.id, alex.userPrincipalName, alex.displayName, new Date(Date.now() - 100 * DAY)],
  );
  await pool.query(
    `INSERT INTO "AppRecertification" ("appId", "displayName", "riskLevel", "ownerOid", "ownerUpn", "ownerName", "dueAt") VALUES ($1, 'Outreach', 'Medium', $2, $3, $4, $5)`,
    [OUTREACH.appId, riley.id, riley.userPrincipalName, riley.displayName, new Date(Date.now() + 5 * DAY)],
  );

  const ownerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, ignoreHTTPSErrors: true });
  const owner = await ownerContext.newPage();
  await signInAs(owner, riley);
  await owner.goto(`/attest/${OUTREACH.appId}`);
  await owner.getByLabel("Note").fill(note);
  await owner.getByRole("button", { name: "No longer needed — propose revocation" }).click();
  await expect(owner.getByTestId("attest-result")).toContainText("you propose that the consent of Outreach be revoked. The admins are notified");
  await ownerContext.close();

  // The reviewers' mail: who proposes it, why, and the revoke wizard for the app. Nothing changed by itself.
  const mail = await waitForMail((m) => m.subject === "Revocation proposed: Outreach" && m.text.includes(note));
  expect(mail.text).toContain(`Riley Chen (${riley.userPrincipalName}) proposes that the consent of Outreach be revoked`);
  const link = mail.text.match(/https?:\/\/\S+\/admin\/apps\/[0-9a-f-]{36}\/revoke/)?.[0];
  expect(link, mail.text).toBeDefined();
  expect(new URL(link!).pathname).toBe(`/admin/apps/${OUTREACH.appId}/revoke`);
  const events = (await pool.query<{ actorUpn: string; after: { notifications?: number } | null }>(`SELECT "actorUpn", after FROM "AuditEvent" WHERE action = 'recertification.proposeRevocation' AND "targetAppId" = $1 AND outcome = 'succeeded'`, [OUTREACH.appId])).rows;
  expect(events).toEqual([expect.objectContaining({ actorUpn: riley.userPrincipalName, after: expect.objectContaining({ notifications: expect.any(Number) }) })]);
  expect(events[0]!.after!.notifications).toBeGreaterThan(0);

  // The admin's home lists it under "Needs attention", leading to the dashboard's proposals: the proposal
  // with its reason, and the way to act on it.
  await signInAs(page, alex);
  await page.goto("/admin");
  await page.getByTestId("attention-list").getByRole("link", { name: /proposed for revocation/ }).click();
  await expect(page).toHaveURL(/\/review\/recertification\?state=proposed$/);
  const row = page.getByTestId("recert-row").filter({ hasText: "Outreach" });
  await expect(row).toContainText(`Owner proposes revocation: “${note}”`);
  await row.getByTestId("recert-revoke").click();
  await expect(page).toHaveURL(new RegExp(`/admin/apps/${OUTREACH.appId}/revoke$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
