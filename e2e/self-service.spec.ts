import { expect, test, type Browser, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import users from "../sim/fixtures/users.json";
import { account, docsScreenshot, signInAs, type SeededAccount } from "./helpers";
import { TEST_PORTS } from "../playwright.config";
import { clearFaults, graphGet, graphToken, LOGIN, resetSimulator, waitForMail } from "./simulator";

const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
const NYLAS_SCOPES = catalog.apps.find((app) => app.displayName === "Nylas")!.permissions[0]!.scopes;
const riley = account("User");
// Two seeded accounts share the "User" role label: Jordan is picked by name.
const jordan = users.find((user) => user.displayName === "Jordan Diaz")!;
const alex = account("Global Administrator");
const PORTAL = `http://localhost:${TEST_PORTS.portal}`;

type Grant = { consentType: string; scope: string; principalId: string | null };

/** Nylas in the tenant, read back through Microsoft Graph rather than through the portal. */
async function nylasInTenant() {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const sp = sps.value[0];
  if (!sp) return { servicePrincipals: 0, grants: [] as Grant[] };
  const grants = await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  return { servicePrincipals: sps.value.length, grants: grants.value };
}

/** The simulator's "try to sign in to an app" page, as the person would use it. */
async function trySignIn(page: Page, who: SeededAccount) {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(who.id);
  await page.getByLabel("App").selectOption(NYLAS);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function portalAs(browser: Browser, who: SeededAccount): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await signInAs(page, who);
  return page;
}

/** Refused by Entra for Nylas, paste the error details into the portal: "Needs an admin". */
async function refusedThenPaste(page: Page, who: SeededAccount) {
  await trySignIn(page, who);
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");
  const details = await page.getByTestId("error-details").innerText();
  expect(details).toContain("AADSTS90094");

  await page.goto("/my-apps");
  await page.getByLabel(/App name or app ID/).fill(`Need admin approval\n${details}`);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page).toHaveURL(new RegExp(`/my-apps/apps/${NYLAS}\\?code=AADSTS90094&cid=`));
  await expect(page.getByTestId("pasted-error")).toContainText("AADSTS90094: Need admin approval");
  await expect(page.getByTestId("status-title")).toHaveText("Needs an admin");
  await expect(page.getByTestId("missing-permissions")).toContainText("Mail.ReadWrite");
}

async function requestApproval(page: Page, justification: string): Promise<string> {
  await page.getByLabel(/Why do you need Nylas/).fill(justification);
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("request-result")).toContainText("Your request for Nylas was sent to the admins.");
  await page.getByRole("link", { name: "Follow its status" }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Waiting for an admin");
  return page.url().split("/").pop()!;
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("a refused user pastes the error, requests approval; an admin approves through the grant wizard; the user gets in", async ({ page, browser }) => {
  // Jordan, not Riley: Riley already asked for Nylas on Entra's "Approval required" screen (the seeded request), so the portal does not invite her to ask twice.
  await signInAs(page, jordan);
  await refusedThenPaste(page, jordan);
  await docsScreenshot(page, "self-service-needs-admin");
  const requestId = await requestApproval(page, "Sales mail sync with our CRM & calendar \"now\", ticket IT-4242");

  // The reviewers (no workflow reviewers in the tenant: the admin role holders) get a mail in the sink.
  const reviewLink = `${PORTAL}/admin/requests#request-${requestId}`;
  const arrived = await waitForMail((mail) => mail.text.includes(reviewLink));
  expect(arrived.subject).toBe(`Approval requested: Nylas for ${jordan.displayName}`);
  expect(arrived.envelope.to).toContain(alex.userPrincipalName);
  expect(arrived.envelope.to).not.toContain(jordan.userPrincipalName);
  expect(arrived.text).toContain('Sales mail sync with our CRM & calendar "now", ticket IT-4242');
  expect(arrived.html).toContain("Sales mail sync with our CRM &#38; calendar &#34;now&#34;");
  // A person sees the same on the simulator's sent-mail page.
  await page.goto(`${LOGIN}/_mail`);
  const listed = page.getByTestId("mail").filter({ hasText: reviewLink });
  await expect(listed.getByRole("heading")).toHaveText(`Approval requested: Nylas for ${jordan.displayName}`);
  await expect(listed).toContainText(alex.userPrincipalName);

  // One open request per user and app: a second attempt links to the first.
  await page.goto(`/my-apps/apps/${NYLAS}`);
  await expect(page.getByTestId("already-requested")).toContainText("You already requested approval for Nylas");
  await page.getByRole("link", { name: "See your request" }).click();
  await expect(page).toHaveURL(new RegExp(`/my-apps/requests/${requestId}$`));

  // The mail's link takes the reviewer to the request.
  const admin = await portalAs(browser, alex);
  await admin.goto(reviewLink);
  const card = admin.getByRole("article", { name: `Nylas requested by ${jordan.displayName}` });
  await expect(card).toHaveAttribute("id", `request-${requestId}`);
  await expect(card.getByTestId("justification")).toHaveText('Sales mail sync with our CRM & calendar "now", ticket IT-4242');
  await expect(card.getByTestId("notifications")).toContainText(alex.userPrincipalName);
  await docsScreenshot(admin, "self-service-admin-requests");
  expect((await nylasInTenant()).servicePrincipals).toBe(0);

  // Approving is granting: the preview names the request, and the grant marks it approved once it holds.
  await card.getByRole("link", { name: "Approve in the grant wizard" }).click();
  await expect(admin.getByTestId("approving-request")).toContainText(`${jordan.displayName} (${jordan.userPrincipalName}): “Sales mail sync with our CRM & calendar "now", ticket IT-4242”`);
  await expect(admin.getByTestId("grant-preview")).toBeVisible();
  await admin.getByLabel("Justification").fill(`Approval request ${requestId} from ${jordan.displayName}`);
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(admin.getByTestId("result-message")).toHaveText("Consent granted for Nylas.");
  await expect(admin.getByTestId("step-results").getByRole("listitem").filter({ hasText: `Approval request of ${jordan.displayName}` })).toContainText("Marked approved");

  // The tenant, through Graph: one tenant-wide grant covering exactly what Nylas asks for.
  const tenant = await nylasInTenant();
  expect(tenant.grants).toHaveLength(1);
  expect(tenant.grants[0]!.consentType).toBe("AllPrincipals");
  expect(tenant.grants[0]!.scope.split(" ").sort()).toEqual([...NYLAS_SCOPES].sort());

  // The result leads back to the queue, where the request is decided: no second job.
  await admin.getByTestId("back-to-queue").click();
  await expect(admin).toHaveURL(/\/admin\/requests$/);
  // Decided requests leave the open list (the DB may hold decided ones from earlier runs).
  await expect(card).toHaveCount(0);
  await expect(admin.getByTestId("decided-requests")).toContainText(`Nylas for ${jordan.displayName} — approved by ${alex.displayName}`);
  await admin.context().close();

  // The requester hears of the decision, with a link to their request.
  const decided = await waitForMail((mail) => mail.text.includes(`${PORTAL}/my-apps/requests/${requestId}`));
  expect(decided.envelope.to).toEqual([jordan.userPrincipalName]);
  expect(decided.subject).toBe("Your request for Nylas was approved");
  expect(decided.text).toContain(`${alex.displayName} approved your request for Nylas`);

  await page.goto(`/my-apps/requests/${requestId}`);
  await expect(page.getByTestId("request-status")).toHaveText("Approved");
  await expect(page.getByTestId("request-decision")).toContainText(`approved by ${alex.displayName}`);
  // Their history says the admins were told and a mail went to them: when and how, never to whom.
  // (The sink has the mail a moment before the outbox row says "sent": reload until it does.)
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("request-notified")).toHaveText([/ — the admins were told by mail\.$/, / — a mail about the decision was sent to you\.$/], { timeout: 1_000 });
  }).toPass();
  await page.goto(`/my-apps/apps/${NYLAS}`);
  await expect(page.getByTestId("status-title")).toHaveText("Approved for everyone");
  await docsScreenshot(page, "self-service-approved");

  await trySignIn(page, jordan);
  await expect(page.getByTestId("outcome")).toHaveText("You're signed in to Nylas");
});

test("a request for an app outside the catalog: the admin adds it and grants exactly what was asked, which approves it", async ({ page, browser }) => {
  // In the tenant, verified publisher, never in the catalog (e2e/catalog.spec.ts adds Litware Sign).
  const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
  await signInAs(page, jordan);
  await page.goto("/my-apps");
  // The sign-in URL the user copied from the browser names the app and what it asks for.
  await page.getByLabel(/App name or app ID/).fill(`https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?client_id=${TAILSPIN}&response_type=code&scope=openid%20User.Read%20Files.ReadWrite`);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("status-title")).toHaveText("Needs an admin");
  await expect(page.getByTestId("missing-permissions")).toContainText("Files.ReadWrite");
  await page.getByLabel(/Why do you need Tailspin Reports/).fill("Monthly sales reports from OneDrive, ticket IT-5150");
  await page.getByRole("button", { name: "Request approval" }).click();
  await expect(page.getByTestId("request-result")).toContainText("Your request for Tailspin Reports was sent to the admins.");

  const admin = await portalAs(browser, alex);
  await admin.goto("/admin/requests");
  const card = admin.getByRole("article", { name: `Tailspin Reports requested by ${jordan.displayName}` });
  await expect(card).toContainText("Tailspin Reports is not in the portal's catalog yet");
  await card.getByRole("button", { name: "Add to the catalog and approve" }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/apps/${TAILSPIN}/grant\\?step=preview`));
  await expect(admin.getByTestId("grant-preview")).toContainText("Files.ReadWrite");
  await admin.getByLabel("Justification").fill("Jordan's request for Tailspin Reports, ticket IT-5150");
  await admin.getByRole("button", { name: /^Grant \d+ permissions? to all users/ }).click();
  await expect(admin.getByTestId("result-message")).toHaveText("Consent granted for Tailspin Reports.");

  // Through Graph: one tenant-wide grant with what Jordan asked for.
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sp = (await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${TAILSPIN}'`)).value[0]!;
  const grants = (await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`)).value;
  const tenantWide = grants.filter((g) => g.consentType === "AllPrincipals");
  expect(tenantWide).toHaveLength(1);
  expect(tenantWide[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["User.Read", "Files.ReadWrite"]));

  await admin.getByTestId("back-to-queue").click();
  await expect(card).toHaveCount(0);
  await expect(admin.getByTestId("decided-requests")).toContainText(`Tailspin Reports for ${jordan.displayName} — approved by ${alex.displayName}`);
  await admin.goto("/admin/apps");
  await expect(admin.getByRole("main")).toContainText("Tailspin Reports");
  await admin.context().close();
});

test("an admin denies with a reason; the requester sees who and why; the tenant is untouched", async ({ page, browser }) => {
  await signInAs(page, jordan);
  await refusedThenPaste(page, jordan);
  const requestId = await requestApproval(page, "Calendar sync for the events team, ticket IT-5151");
  const arrived = await waitForMail((mail) => mail.text.includes(`${PORTAL}/admin/requests#request-${requestId}`));
  expect(arrived.subject).toBe(`Approval requested: Nylas for ${jordan.displayName}`);
  expect(arrived.envelope.to).toContain(alex.userPrincipalName);

  const admin = await portalAs(browser, alex);
  await admin.goto("/admin/requests");
  const card = admin.getByRole("article", { name: `Nylas requested by ${jordan.displayName}` });
  // A reason is required: the browser's own check is bypassed to prove the server refuses too.
  await card.getByLabel(/Reason for denying/).evaluate((el) => el.removeAttribute("required"));
  await card.getByLabel(/Reason for denying/).evaluate((el) => el.removeAttribute("minlength"));
  await card.getByRole("button", { name: "Deny" }).click();
  await expect(card).toContainText("Say why the request is denied");
  await card.getByLabel(/Reason for denying/).fill("Use the approved CRM connector instead; see KB-12.");
  await card.getByRole("button", { name: "Deny" }).click();
  await expect(card).toHaveCount(0);
  await expect(admin.getByTestId("decided-requests")).toContainText(`Nylas for ${jordan.displayName} — denied by ${alex.displayName}`);
  await admin.context().close();

  const decided = await waitForMail((mail) => mail.text.includes(`${PORTAL}/my-apps/requests/${requestId}`));
  expect(decided.envelope.to).toEqual([jordan.userPrincipalName]);
  expect(decided.subject).toBe("Your request for Nylas was denied");
  expect(decided.text).toContain("Use the approved CRM connector instead; see KB-12.");

  await page.goto(`/my-apps/requests/${requestId}`);
  await expect(page.getByTestId("request-status")).toHaveText("Denied");
  await expect(page.getByTestId("request-decision")).toContainText(`denied by ${alex.displayName}`);
  await expect(page.getByTestId("request-decision")).toContainText("Reason: Use the approved CRM connector instead; see KB-12.");
  expect((await nylasInTenant()).servicePrincipals).toBe(0);

  // Another user cannot read Jordan's request: it does not exist for them.
  const other = await portalAs(browser, riley);
  const reply = await other.goto(`/my-apps/requests/${requestId}`);
  expect(reply?.status()).toBe(404);
  await expect(other.getByText("Calendar sync for the events team")).toHaveCount(0);
  await other.context().close();
});

test("bad input is refused clearly and nothing is written", async ({ page }) => {
  const priya = account("Privileged Role Administrator");
  await signInAs(page, priya);
  await page.goto(`/my-apps/apps/${NYLAS}`);
  const field = page.getByLabel(/Why do you need Nylas/);
  await field.evaluate((el) => ["required", "minlength", "maxlength"].forEach((name) => el.removeAttribute(name)));
  for (const [text, error] of [
    ["", "Say why you need the app in at least 10 characters."],
    ["x".repeat(1001), "Keep the justification under 1000 characters."],
    ['<script>alert("x")</script> I need this app', "Write plain text: HTML or script tags are not accepted."],
  ] as const) {
    await field.fill(text);
    await page.getByRole("button", { name: "Request approval" }).click();
    await expect(page.locator("#justification-error")).toHaveText(error);
  }
  await page.goto("/my-apps");
  await expect(page.getByText("You have not requested approval for any app yet.")).toBeVisible();

  // Malformed app IDs and URLs.
  await page.goto("/my-apps/apps/not-a-guid");
  await expect(page.getByTestId("bad-app-id")).toBeVisible();
  await page.goto("/my-apps");
  await page.getByLabel(/App name or app ID/).fill("https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=12345");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("no-app-found")).toBeVisible();
});

test("on a phone the user's pages fit the screen: no sideways scrolling, the answer and the request form in reach", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await context.newPage();
  // Jordan: Riley's seeded Entra request for Nylas means she is (rightly) not offered the form.
  await signInAs(phone, jordan);
  const fits = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  for (const path of ["/my-apps", `/my-apps/apps/${NYLAS}`, "/my-apps/troubleshoot"]) {
    await phone.goto(path);
    expect(await fits(), `${path} scrolls sideways on a phone`).toBe(true);
  }
  await phone.goto(`/my-apps/apps/${NYLAS}`);
  await expect(phone.getByTestId("status-title")).toHaveText("Needs an admin");
  const request = phone.getByRole("button", { name: "Request approval" });
  await request.scrollIntoViewIfNeeded();
  await expect(request).toBeInViewport();
  const box = (await request.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await context.close();
});

test("troubleshoot explains the error; an admin finds the sign-in by correlation ID, a user does not see logs", async ({ page, browser }) => {
  await trySignIn(page, riley);
  const details = await page.getByTestId("error-details").innerText();
  const correlationId = /Correlation ID: (\S+)/.exec(details)![1]!;

  await signInAs(page, riley);
  await page.goto(`/my-apps/troubleshoot?q=${encodeURIComponent(details)}`);
  await expect(page.getByTestId("error-explanation")).toContainText("AADSTS90094: Need admin approval");
  await expect(page.getByTestId("error-next-step")).toContainText("Request approval");
  await expect(page.getByTestId("sign-ins")).toHaveCount(0);

  const admin = await portalAs(browser, alex);
  await admin.goto(`/my-apps/troubleshoot?q=${correlationId}`);
  await expect(admin.getByTestId("sign-ins")).toContainText(riley.userPrincipalName);
  await expect(admin.getByTestId("sign-ins")).toContainText("AADSTS90094");
  await admin.context().close();
});
