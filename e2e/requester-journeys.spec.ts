import { expect, test, type Browser, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import users from "../sim/fixtures/users.json";
import { account, queryTestDatabase, signInAs, withTestDatabase, type SeededAccount } from "./helpers";
import { graphGet, graphSend, graphToken, LOGIN, resetSimulator } from "./simulator";

/**
 * A requester's whole journey, without dead ends: asking where they are (Entra's "Approval required"
 * screen or the portal), seeing their request and its outcome, and the admin approving in one go (the
 * preview of exactly what was asked → the grant → the request approved once the tenant holds it). Each
 * journey checks the tenant through Microsoft Graph and what the person sees.
 */

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
const OKTA_MAIL_NAME = "Office 365 Mail for Okta Workflows";
const OKTA_MAIL = catalog.apps.find((app) => app.displayName === OKTA_MAIL_NAME)!.appId;
const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const APPROVE = "entraConsentRequest.approve";
const jordan = users.find((user) => user.displayName === "Jordan Diaz")!;
const riley = account("User");
const alex = account("Global Administrator");

test.beforeEach(async () => {
  await resetSimulator();
});

async function portalAs(browser: Browser, who: SeededAccount): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

async function readerToken(): Promise<string> {
  return graphToken(alex, "Application.Read.All Directory.Read.All ConsentRequest.Read.All");
}

/** The app's user requests in Entra, read through Graph: who asked and the status. */
async function entraUserRequests(appId: string): Promise<{ requestId: string; who: string; status: string }[]> {
  const token = await readerToken();
  const requests = await graphGet<{ value: { id: string }[] }>(token, `/identityGovernance/appConsent/appConsentRequests?$filter=appId eq '${appId}'`);
  const out: { requestId: string; who: string; status: string }[] = [];
  for (const request of requests.value) {
    const userRequests = await graphGet<{ value: { status: string; createdBy: { user: { id: string } } }[] }>(token, `/identityGovernance/appConsent/appConsentRequests/${request.id}/userConsentRequests`);
    out.push(...userRequests.value.map((u) => ({ requestId: request.id, who: u.createdBy.user.id, status: u.status })));
  }
  return out;
}

/** The app's tenant-wide delegated grants, read through Graph. */
async function tenantWideScopes(appId: string): Promise<string[]> {
  const token = await readerToken();
  const sp = (await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${appId}'`)).value[0];
  if (!sp) return [];
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  return grants.value.filter((g) => g.consentType === "AllPrincipals").flatMap((g) => g.scope.split(" ").filter(Boolean));
}

async function auditEvents(action: string, targetId: string): Promise<{ actorName: string; after: Record<string, unknown>; justification: string | null }[]> {
  return queryTestDatabase(`SELECT "actorName", after, justification FROM "AuditEvent" WHERE action = $1 AND "targetId" = $2 AND outcome = 'succeeded' ORDER BY seq`, [action, targetId]);
}

test("a request made on Entra's Approval required screen is the requester's in the portal, approved by granting, and in the audit trail", async ({ page, browser }) => {
  // The admin consent workflow is on, with Alex as reviewer.
  await graphSend(await graphToken(account("Cloud Application Administrator"), "Policy.ReadWrite.ConsentRequest"), "PUT", "/policies/adminConsentRequestPolicy", {
    isEnabled: true, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30,
    reviewers: [{ query: `/users/${alex.id}`, queryType: "MicrosoftGraph", queryRoot: null }],
  });

  // Jordan tries Nylas, Entra says "Approval required", and he asks there.
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(jordan.id);
  await page.getByLabel("App").selectOption(NYLAS);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("outcome")).toHaveText("Approval required");
  await page.getByLabel("Enter justification for requesting this app").fill("Calendar sync for the events team, ticket IT-7001");
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect.poll(async () => (await entraUserRequests(NYLAS)).filter((u) => u.who === jordan.id).map((u) => u.status)).toEqual(["InProgress"]);
  const requestId = (await entraUserRequests(NYLAS)).find((u) => u.who === jordan.id)!.requestId;

  // His portal list has it, waiting; the app's status page does not invite a second request.
  await signInAs(page, jordan);
  await page.goto("/my-apps");
  const mine = page.getByTestId("my-entra-request").filter({ hasText: "Nylas" });
  await expect(mine.getByTestId("request-status")).toHaveText("Waiting for an admin");
  await expect(mine).toContainText("Calendar sync for the events team, ticket IT-7001");
  // Riley's request for the same app is Riley's: Jordan sees only his own words.
  await expect(page.getByText("I need Nylas to sync my calendar")).toHaveCount(0);
  await page.goto(`/my-apps/apps/${NYLAS}`);
  await expect(page.getByTestId("already-requested")).toContainText("You already asked for approval of Nylas when signing in");
  await expect(page.getByRole("button", { name: "Request approval" })).toHaveCount(0);

  // The admin approves: the preview of exactly what was asked, naming both requesters, then the grant.
  const admin = await portalAs(browser, alex);
  await admin.goto("/admin/entra-requests");
  await admin.getByTestId("entra-request").filter({ hasText: "Nylas" }).getByRole("link", { name: "Approve: preview the grant" }).click();
  const approving = admin.getByTestId("approving-request");
  await expect(approving).toContainText(`${jordan.displayName} (${jordan.userPrincipalName}): “Calendar sync for the events team, ticket IT-7001”`);
  await expect(approving).toContainText(`${riley.displayName} (${riley.userPrincipalName}): “I need Nylas to sync my calendar with our scheduling tool.”`);
  await admin.getByLabel("Justification").fill("Calendar sync approved for the events team");
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(admin.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  const decision = admin.getByTestId("step-results").getByRole("listitem").filter({ hasText: "Entra consent request of" });
  await expect(decision).toContainText("Done");
  await expect(decision).toContainText("Approved: the tenant grants everything asked for everyone");
  // No dead end: the result leads back to the queue, where the request is no longer pending.
  await admin.getByTestId("back-to-queue").click();
  await expect(admin).toHaveURL(/\/admin\/entra-requests$/);
  await expect(admin.getByTestId("entra-request").filter({ hasText: "Nylas" })).toHaveCount(0);

  // The tenant, through Graph: granted for everyone, and Entra completed both people's requests.
  expect(await tenantWideScopes(NYLAS)).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Calendars.ReadWrite"]));
  expect((await entraUserRequests(NYLAS)).map((u) => u.status)).toEqual(["Completed", "Completed"]);

  // Jordan sees the approval, and who gave it.
  await page.goto("/my-apps");
  await expect(page.getByTestId("my-entra-request").filter({ hasText: "Nylas" }).getByTestId("request-status")).toContainText(`Approved by ${alex.displayName}`);

  // The audit trail: the grant's rows name the request and why Jordan asked; the decision is its own event.
  const grant = await queryTestDatabase<{ justification: string | null }>(`SELECT justification FROM "AuditEvent" WHERE action = 'grant.delegated.allPrincipals' AND justification LIKE $1 ORDER BY seq DESC`, [`%${requestId}%`]);
  expect(grant[0]?.justification).toContain(`${jordan.displayName} (${jordan.userPrincipalName}): “Calendar sync for the events team, ticket IT-7001”`);
  // The newest: the seeded request may have been approved before, by an earlier journey on the same database.
  const approved = (await auditEvents(APPROVE, requestId)).at(-1);
  expect(approved!.actorName).toBe(alex.displayName);
  expect(approved!.after).toMatchObject({
    requestId,
    status: "approved",
    requesters: expect.arrayContaining([
      expect.objectContaining({ oid: jordan.id, upn: jordan.userPrincipalName, justification: "Calendar sync for the events team, ticket IT-7001" }),
      expect.objectContaining({ oid: riley.id, upn: riley.userPrincipalName }),
    ]),
  });
  // Jordan's own asking, imported from Entra's directory audit, is found by filtering the actor to him.
  await admin.goto("/audit");
  await admin.getByRole("button", { name: "Import consent events from Entra" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "consent events from Entra" })).toBeVisible();
  await admin.goto(`/audit?actor=${encodeURIComponent(jordan.displayName)}`);
  await expect(admin.getByRole("main")).toContainText("Create app consent request");
  await expect(admin.getByRole("main")).toContainText("Nylas");
  await admin.context().close();
});


test("approving a portal request is one job: preview, grant, approved, with the grant's audit naming the request and why it was asked", async ({ page, browser }) => {
  // Jordan asks in the portal for Nylas, with the permissions it needs.
  await signInAs(page, jordan);
  await page.goto(`/my-apps/apps/${NYLAS}`);
  await expect(page.getByTestId("status-title")).toHaveText("Needs an admin");
  await page.getByLabel(/Why do you need Nylas/).fill("Events calendar sync, ticket IT-7002");
  await page.getByRole("button", { name: "Request approval" }).click();
  await page.getByRole("link", { name: "Follow its status" }).click();
  await expect(page).toHaveURL(/\/my-apps\/requests\/[0-9a-f-]{36}$/);
  const requestId = page.url().split("/").pop()!;

  const admin = await portalAs(browser, alex);
  await admin.goto(`/admin/requests#request-${requestId}`);
  const card = admin.locator(`#request-${requestId}`);
  await expect(card).not.toContainText("come back and mark");
  await card.getByRole("link", { name: "Approve in the grant wizard" }).click();
  await expect(admin.getByTestId("approving-request")).toContainText("Events calendar sync, ticket IT-7002");
  await admin.getByLabel("Justification").fill("Approved for the events team");
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(admin.getByTestId("step-results").getByRole("listitem").filter({ hasText: `Approval request of ${jordan.displayName}` })).toContainText("Marked approved");
  await admin.getByTestId("back-to-queue").click();
  await expect(admin.locator(`#request-${requestId}`)).toHaveCount(0);
  await expect(admin.getByTestId("decided-requests")).toContainText(`Nylas for ${jordan.displayName} — approved by ${alex.displayName}`);
  await admin.context().close();

  // Through Graph: granted for everyone.
  expect(await tenantWideScopes(NYLAS)).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Calendars.ReadWrite"]));
  // The grant's audit row names the request and Jordan's justification; the decision names him.
  const { grant, decided } = await withTestDatabase(async (client) => ({
    grant: await client.query(`SELECT justification FROM "AuditEvent" WHERE action = 'grant.delegated.allPrincipals' AND justification LIKE $1 ORDER BY seq DESC`, [`%${requestId}%`]),
    decided: await client.query(`SELECT after FROM "AuditEvent" WHERE action = 'consentRequest.approve' AND "targetId" = $1 AND outcome = 'succeeded'`, [requestId]),
  }));
  expect(grant.rows.length).toBeGreaterThan(0);
  expect(grant.rows[0].justification).toContain(`${jordan.displayName} (${jordan.userPrincipalName}): “Events calendar sync, ticket IT-7002”`);
  expect(decided.rows[0].after).toMatchObject({ requestId, status: "approved", requesters: [{ oid: jordan.id, justification: "Events calendar sync, ticket IT-7002" }] });

  // Jordan sees it approved.
  await page.goto("/my-apps");
  await expect(page.getByTestId("my-requests").getByRole("listitem").filter({ hasText: "Nylas" }).first().getByTestId("request-status")).toHaveText("Approved");
});

test("an app ID that exists nowhere: the queue says so and prepares the denial; granting it is refused plainly, with no retry", async ({ page, browser }) => {
  const madeUp = "7d3e0f6a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
  await signInAs(page, jordan);
  await page.goto(`/my-apps/apps/${madeUp}?scope=User.Read%20Mail.Read`);
  await page.getByLabel(/Why do you need/).fill("A reporting tool my team wants, ticket IT-7003");
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("request-result")).toContainText("was sent to the admins");

  const admin = await portalAs(browser, alex);
  await admin.goto("/admin/requests");
  const card = admin.getByRole("article", { name: `App ${madeUp} requested by ${jordan.displayName}` });
  await expect(card.getByTestId("unknown-app")).toContainText(`No app with ID ${madeUp} is in your tenant or the catalog`);
  await expect(card.getByRole("button", { name: "Add to the catalog and approve" })).toHaveCount(0);
  await expect(card.getByLabel(/Reason for denying/)).toHaveValue(/cannot find it anywhere/);
  await card.getByRole("button", { name: "Deny" }).click();
  await expect(card).toHaveCount(0);
  // Nothing reached the tenant or the catalog.
  const token = await readerToken();
  expect((await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${madeUp}'`)).value).toEqual([]);
  await admin.goto("/admin/apps");
  await expect(admin.getByRole("main")).not.toContainText(`App ${madeUp}`);
  await admin.context().close();

  await page.goto("/my-apps");
  await expect(page.getByTestId("my-requests").getByRole("listitem").filter({ hasText: madeUp }).getByTestId("request-status")).toHaveText("Denied");
});

test("an app in the tenant whose permissions the portal cannot read: the person can still ask, in words", async ({ page, browser }) => {
  const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
  await signInAs(page, riley);
  await page.goto(`/my-apps/apps/${TAILSPIN}`);
  await expect(page.getByTestId("status-title")).toHaveText("Needs an admin");
  const ask = page.getByTestId("describe-request");
  await expect(ask.getByTestId("permissions-unknown")).toContainText("cannot read which permissions Tailspin Reports asks for");
  await ask.getByLabel(/Why do you need Tailspin Reports/).fill("Monthly sales reports for the regional leads, ticket IT-7004");
  await ask.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("request-result")).toContainText("Your request for Tailspin Reports was sent to the admins.");

  const admin = await portalAs(browser, alex);
  await admin.goto("/admin/requests");
  const card = admin.getByRole("article", { name: `Tailspin Reports requested by ${riley.displayName}` });
  await expect(card.getByTestId("requested-permissions")).toContainText("No permissions named");
  await expect(card.getByTestId("permissions-unknown")).toContainText("cannot read which permissions it asks for");
  await expect(card.getByRole("link", { name: "Apps" })).toHaveAttribute("href", "/admin/apps");
  await admin.context().close();
  // Asking changed nothing in the tenant.
  expect(await tenantWideScopes(TAILSPIN)).toEqual([]);
});

test("search tells the truth: a catalog app granted tenant-wide is in the organization, whatever part of its name was typed", async ({ page }) => {
  const admin = await graphToken(alex, "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All");
  await graphSend(admin, "POST", "/servicePrincipals", { appId: OKTA_MAIL });
  const sp = await (async () => {
    for (;;) {
      const found = (await graphGet<{ value: { id: string }[] }>(admin, `/servicePrincipals?$filter=appId eq '${OKTA_MAIL}'`)).value[0];
      if (found) return found;
    }
  })();
  const graphSp = (await graphGet<{ value: { id: string }[] }>(admin, `/servicePrincipals?$filter=appId eq '${GRAPH_API}'`)).value[0]!;
  await graphSend(admin, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "AllPrincipals", resourceId: graphSp.id, scope: "User.Read Mail.ReadWrite" });
  expect(await tenantWideScopes(OKTA_MAIL)).toEqual(["User.Read", "Mail.ReadWrite"]);

  await signInAs(page, riley);
  for (const q of ["okta", OKTA_MAIL_NAME]) {
    await page.goto(`/my-apps?q=${encodeURIComponent(q)}`);
    const row = page.getByTestId("search-results").getByRole("listitem").filter({ hasText: OKTA_MAIL_NAME });
    await expect(row).toContainText("in your organization");
    await expect(row).not.toContainText("not added to your organization yet");
  }
});
