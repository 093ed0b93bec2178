import { expect, test, type Browser, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import users from "../sim/fixtures/users.json";
import { TEST_PORTS } from "../playwright.config";
import { account, signInAs, type SeededAccount } from "./helpers";
import { graphGet, graphSend, graphToken, LOGIN, resetSimulator, sentMail, waitForMail, type SentMail } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
const OKTA_MAIL_NAME = "Office 365 Mail for Okta Workflows";
const OKTA_MAIL = catalog.apps.find((app) => app.displayName === OKTA_MAIL_NAME)!.appId;

async function nylasInTenant() {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string; accountEnabled: boolean }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const sp = sps.value[0];
  const grants = sp ? (await graphGet<{ value: { scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`)).value : [];
  return { sp, grants };
}

test.beforeEach(async ({ page }) => {
  await resetSimulator();
  await signInAs(page, account("Global Administrator"));
  await page.goto("/admin/entra-requests");
});

const nylasRequest = (page: Page) => page.getByTestId("entra-request").filter({ hasText: "Nylas" });

test("an admin approves an Entra request by granting exactly what was asked", async ({ page }) => {
  await expect(nylasRequest(page)).toContainText("Riley Chen");
  await expect(nylasRequest(page)).toContainText("I need Nylas to sync my calendar");
  await nylasRequest(page).getByRole("link", { name: "Approve: preview the grant" }).click();
  await expect(page.getByTestId("grant-preview")).toBeVisible();
  await page.getByLabel("Justification").fill("Approving Riley's request for calendar sync");
  await page.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(page.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  // The grant was the approval: recorded as such, and the result leads back to the queue.
  await expect(page.getByTestId("step-results").getByRole("listitem").filter({ hasText: "Entra consent request of Riley Chen" })).toContainText("Approved");
  await expect(page.getByTestId("back-to-queue")).toHaveAttribute("href", "/admin/entra-requests");

  const { grants } = await nylasInTenant();
  expect(grants).toHaveLength(1);
  expect(grants[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Calendars.ReadWrite"]));
  // Granting everything asked completes the request in (simulated) Entra, so it leaves the pending list.
  await expect.poll(async () => (await userConsentRequestsOf(NYLAS)).map((u) => u.status)).toEqual(["Completed"]);
  await page.goto("/admin/entra-requests");
  await expect(page.getByRole("heading", { name: "Entra's pending consent requests" })).toBeVisible();
  await expect(nylasRequest(page)).toHaveCount(0);
});

test("Entra mails its reviewers when a user asks from the Approval required screen, and the requester once the portal approves", async ({ page, browser }) => {
  const casey = account("Cloud Application Administrator");
  const riley = account("User");
  await graphSend(await graphToken(casey, "Policy.ReadWrite.ConsentRequest"), "PUT", "/policies/adminConsentRequestPolicy", {
    isEnabled: true,
    notifyReviewers: true,
    remindersEnabled: false,
    requestDurationInDays: 14,
    reviewers: [{ query: `/users/${casey.id}`, queryType: "MicrosoftGraph", queryRoot: null }],
  });

  // Riley tries to sign in to the Okta mail connector in Entra and asks for approval there.
  const entra = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await entra.goto(`${LOGIN}/`);
  await entra.getByLabel("Account").selectOption(riley.id);
  await entra.getByLabel("App").selectOption(OKTA_MAIL);
  await entra.getByRole("button", { name: "Sign in" }).click();
  await expect(entra.getByTestId("outcome")).toHaveText("Approval required");
  await entra.getByLabel("Enter justification for requesting this app").fill("Automating our shared mailbox triage.");
  await entra.getByRole("button", { name: "Request approval" }).click();

  // Seed 003: "the mail administrator receives the email notification" — Entra's, not the portal's.
  const toReviewer = (await waitForMail((m) => m.to.includes(casey.userPrincipalName) && entraKind(m) === "consent-request-created")) as EntraSentMail;
  expect(toReviewer).toMatchObject({ origin: "entra", from: "Microsoft Azure <azure-noreply@microsoft.com>" });
  expect(toReviewer.subject).toBe(`Action required: Riley Chen requested access to ${OKTA_MAIL_NAME}`);
  expect(toReviewer.text).toContain("> Automating our shared mailbox triage.");
  await entra.goto(`${LOGIN}/_mail`);
  await expect(entra.getByTestId("mail").filter({ hasText: toReviewer.subject }).getByTestId("mail-origin")).toHaveText("Sent by Microsoft Entra (simulated), not by the portal");

  // The admin approves in the portal by granting exactly what was asked; Entra tells Riley.
  await page.goto("/admin/entra-requests");
  const okta = page.getByTestId("entra-request").filter({ hasText: OKTA_MAIL_NAME });
  await expect(okta).toContainText("Automating our shared mailbox triage.");
  await okta.getByRole("link", { name: "Approve: preview the grant" }).click();
  await page.getByLabel("Justification").fill("Approving Riley's mail triage request");
  await page.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(page.getByTestId("result-message")).toHaveText(`Consent granted for ${OKTA_MAIL_NAME}.`);

  const approved = await waitForMail((m) => m.to.includes(riley.userPrincipalName) && entraKind(m) === "consent-request-approved");
  expect(approved.subject).toBe(`Your request to access ${OKTA_MAIL_NAME} was approved`);
  expect((await userConsentRequestsOf(OKTA_MAIL)).map((u) => u.status)).toEqual(["Completed"]);
  // The reviewer heard once; nobody else got Entra's notice.
  const entraMails = (await sentMail()).filter((m) => entraKind(m) !== null && Date.parse(m.receivedAt) >= Date.parse(toReviewer.receivedAt));
  expect(entraMails.map((m) => [entraKind(m), m.to.join(",")])).toEqual([
    ["consent-request-approved", riley.userPrincipalName],
    ["consent-request-created", casey.userPrincipalName],
  ]);
  await entra.context().close();
});

test("blocking an app creates it with sign-in disabled", async ({ page }) => {
  await nylasRequest(page).getByRole("button", { name: "Block the app" }).click();
  await expect.poll(async () => (await nylasInTenant()).sp?.accountEnabled).toBe(false);
  const { grants } = await nylasInTenant();
  expect(grants).toHaveLength(0);
});

// A denial stays in the audit trail: it runs last, as the other tests need the request pending.
test("an admin denies an Entra request with a reason, nothing is granted, and the requester sees why", async ({ page, browser }) => {
  const since = Date.now();
  await nylasRequest(page).getByLabel("Reason for denying").fill("Use the approved scheduling tool instead.");
  await nylasRequest(page).getByRole("button", { name: "Deny" }).click();
  const denied = "Denied by Alex Wilber: Use the approved scheduling tool instead.";
  await expect(nylasRequest(page).getByTestId("request-status")).toHaveText(denied);
  await page.reload();
  await expect(nylasRequest(page).getByTestId("request-status")).toHaveText(denied);
  expect((await nylasInTenant()).sp).toBeUndefined();

  // The requester learns the outcome by mail and on their own page; another user hears nothing of it.
  const rileyUpn = account("User").userPrincipalName;
  const mail = await waitForMail((m) => m.to.includes(rileyUpn) && m.subject === "Your request for Nylas was denied" && Date.parse(m.receivedAt) >= since - 1_000);
  expect(mail.text).toContain("Alex Wilber denied the request you made for Nylas");
  expect(mail.text).toContain("> Use the approved scheduling tool instead.");
  expect((await sentMail()).filter((m) => m.subject === mail.subject && m.to.some((to) => to.startsWith("jordan.")))).toEqual([]);
  const riley = await pageOf(browser, account("User"));
  await riley.goto("/my-apps");
  const denial = riley.getByTestId("my-entra-request").filter({ hasText: "Nylas" }).first();
  await expect(denial.getByTestId("request-status")).toContainText("Denied by Alex Wilber");
  await expect(denial).toContainText("Reason: Use the approved scheduling tool instead.");
  // Jordan did not ask for Nylas: his list has his own (expired) Outreach request, and nothing of Riley's.
  const jordan = await pageOf(browser, users.find((user) => user.displayName === "Jordan Diaz")!);
  await jordan.goto("/my-apps");
  await expect(jordan.getByRole("heading", { name: "My approval requests" })).toBeVisible();
  await expect(jordan.getByTestId("my-entra-request").filter({ hasText: "Outreach" }).getByTestId("request-status")).toContainText("Expired");
  await expect(jordan.getByTestId("my-entra-request").filter({ hasText: "Nylas" })).toHaveCount(0);
});

type EntraSentMail = SentMail & { origin: "smtp" | "entra"; headers: Record<string, string> };

/** The kind of an Entra notice in the sink (x-ms-entra-notification), null for the portal's own mail. */
function entraKind(mail: SentMail): string | null {
  const m = mail as EntraSentMail;
  return m.origin === "entra" ? (m.headers["x-ms-entra-notification"] ?? null) : null;
}

async function userConsentRequestsOf(appId: string): Promise<{ status: string }[]> {
  const token = await graphToken(account("Global Administrator"), "ConsentRequest.Read.All");
  const requests = await graphGet<{ value: { id: string }[] }>(token, `/identityGovernance/appConsent/appConsentRequests?$filter=appId eq '${appId}'`);
  const id = requests.value[0]?.id;
  return id ? (await graphGet<{ value: { status: string }[] }>(token, `/identityGovernance/appConsent/appConsentRequests/${id}/userConsentRequests`)).value : [];
}

async function pageOf(browser: Browser, who: SeededAccount): Promise<Page> {
  const context = await browser.newContext({ baseURL: `http://localhost:${TEST_PORTS.portal}` });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}
