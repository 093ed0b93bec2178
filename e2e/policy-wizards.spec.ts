import { expect, request, test, type Page } from "@playwright/test";
import { account, docsScreenshot, queryTestDatabase, signInAs, switchSession } from "./helpers";
import { GRAPH, graphGet, graphToken, resetSimulator, withdrawGroupConsentTemplate } from "./simulator";

const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";
const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const GRAPH_SP = "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')";
const OKTA_MAIL = ["Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "offline_access"];
const SALES = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const CASEY = "2d8b9c3e-4f50-4172-8c83-9d0e1f2a3b43";
const SETTINGS_ID = "a1f6b0b2-3c4d-4e5f-8a9b-7c6d5e4f3a2b";

/** A reader's view of the tenant, through Graph: what the wizards changed, not what the portal says. */
async function reader() {
  return graphToken(account("Security Reader"), "Policy.Read.All Directory.Read.All");
}
async function assigned(): Promise<string[]> {
  const policy = await graphGet<{ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[] } }>(await reader(), "/policies/authorizationPolicy");
  return policy.defaultUserRolePermissions.permissionGrantPoliciesAssigned;
}
async function betaGet<T>(path: string): Promise<T> {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const reply = await api.get(`${GRAPH}/beta${path}`, { headers: { authorization: `Bearer ${await reader()}` } });
  expect(reply.status()).toBe(200);
  const body = (await reply.json()) as T;
  await api.dispose();
  return body;
}
async function auditRows(justification: string) {
  return queryTestDatabase<{ action: string; outcome: string; actorUpn: string; graphRequestIds: string[]; before: unknown; after: unknown }>(
    `SELECT action, outcome, "actorUpn", "graphRequestIds", before, after FROM "AuditEvent" WHERE justification = $1 ORDER BY seq`,
    [justification],
  );
}
async function shot(page: Page, name: string) {
  await docsScreenshot(page, `policy-${name}`);
}
/** The preview's confirm form: a justification and the button that says what will happen. */
async function confirmWith(page: Page, justification: string, apply: string) {
  await page.getByLabel("Justification").fill(justification);
  await page.getByRole("button", { name: apply }).click();
}
/** Every Graph call of the result has a status and a request-id. */
/** The write is listed once, and every call of the change (its reads before and after included) with status and request-id. */
async function expectCallsListed(page: Page, call: RegExp) {
  const calls = page.getByTestId("graph-calls");
  await expect(calls.getByRole("row").filter({ hasText: call })).toHaveCount(1);
  for (const row of await calls.locator("tbody tr").all()) {
    await expect(row.locator("td").nth(1)).toHaveText(/^[1-5]\d\d$/);
    await expect(row.locator("td").nth(2)).toHaveText(/^[0-9a-f-]{36}$/);
  }
}

test.beforeEach(async () => {
  await resetSimulator();
});

test("a Privileged Role Administrator turns user consent off; owned-resource consent survives", async ({ page }) => {
  expect(await assigned()).toEqual([LOW, TEAM, CHAT]);
  await signInAs(page, account("Privileged Role Administrator"));
  await page.goto("/admin/policies/user-consent");
  await expect(page.getByTestId("current-policy")).toContainText("Allow user consent for apps from verified publishers, for selected permissions");
  await expect(page.getByTestId("current-policy")).toContainText("Owners of a team may consent to apps for that team");
  const steps = page.getByRole("list", { name: "Wizard steps" });
  await expect(steps.getByRole("listitem").filter({ hasText: "Choose" })).toHaveAttribute("aria-current", "step");
  await page.getByRole("radio", { name: /Do not allow user consent/ }).check();
  await page.getByRole("button", { name: "Preview the change" }).click();

  // The same step bar as the app wizards: Choose → Preview → Result, the current step marked for assistive technology.
  await expect(steps.getByRole("listitem")).toHaveText(["1. Choose", "2. Preview", "3. Result"]);
  await expect(steps.getByRole("listitem").filter({ hasText: "Preview" })).toHaveAttribute("aria-current", "step");
  await expect(steps.getByRole("listitem").filter({ hasText: "Choose" })).not.toHaveAttribute("aria-current", "step");
  await expect(page.getByTestId("after")).toContainText("Users may not consent to apps for themselves.");
  await expect(page.getByTestId("entries-diff").getByRole("row").filter({ hasText: TEAM })).toContainText("kept untouched");
  await expect(page.getByTestId("entries-diff").getByRole("row").filter({ hasText: LOW })).toContainText("removed");
  await shot(page, "user-consent-preview");
  expect(await assigned()).toEqual([LOW, TEAM, CHAT]); // a preview changes nothing

  const why = `Seed 000 option 3 review e2e ${Date.now()}`;
  await confirmWith(page, why, "Change user consent to: Do not allow user consent");
  await expect(page.getByTestId("result-message")).toHaveText("User consent is now: Do not allow user consent.");
  await expect(steps.getByRole("listitem").filter({ hasText: "Result" })).toHaveAttribute("aria-current", "step");
  await expectCallsListed(page, /PATCH \/v1\.0\/policies\/authorizationPolicy\s*204/);
  await shot(page, "user-consent-result");

  expect(await assigned()).toEqual([TEAM, CHAT]);
  const rows = await auditRows(why);
  expect(rows.map((r) => [r.action, r.outcome])).toEqual([["policy.userConsent.update", "intended"], ["policy.userConsent.update", "succeeded"]]);
  expect(rows[1]?.actorUpn).toBe(account("Privileged Role Administrator").userPrincipalName);
  // The outcome row carries the request-ids of exactly this change's calls, the PATCH among them; its after is the policy read back.
  const patchId = await page.getByTestId("graph-calls").getByRole("row").filter({ hasText: /PATCH \/v1\.0\/policies\/authorizationPolicy/ }).locator("td").nth(2).textContent();
  expect(rows[1]?.graphRequestIds).toContain(patchId);
  expect(rows[1]?.after).toEqual({ permissionGrantPoliciesAssigned: [TEAM, CHAT] });
});

test("a Privileged Role Administrator lets Microsoft manage user consent; the tenant then reads as Microsoft-managed, never custom", async ({ page }) => {
  const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
  await signInAs(page, account("Privileged Role Administrator"));
  await page.goto("/admin/policies/user-consent");
  const option = page.getByRole("radio", { name: /Let Microsoft manage your consent settings/ });
  await option.check();
  await page.getByRole("button", { name: "Preview the change" }).click();
  await expect(page.getByRole("region", { name: "Your choice" })).toContainText("changes those conditions over time");
  await expect(page.getByRole("region", { name: "Your choice" })).toContainText("Files.Read.All, Files.ReadWrite.All, Sites.Read.All and Sites.ReadWrite.All");
  await expect(page.getByTestId("entries-diff").getByRole("row").filter({ hasText: RECOMMENDED })).toContainText("added");
  await confirmWith(page, `Follow Microsoft's consent recommendations e2e ${Date.now()}`, "Change user consent to: Let Microsoft manage your consent settings");
  await expect(page.getByTestId("result-message")).toHaveText("User consent is now: Let Microsoft manage your consent settings.");

  expect(await assigned()).toEqual([RECOMMENDED, TEAM, CHAT]);
  await page.goto("/admin/policies/user-consent");
  await expect(page.getByTestId("current-policy")).toContainText("Microsoft-managed");
  await expect(page.getByTestId("current-policy")).not.toContainText(/custom/i);
  await expect(page.getByRole("radio", { name: /Let Microsoft manage your consent settings/ })).toBeChecked();
  await page.goto("/admin/policies");
  await expect(page.getByTestId("policy-user-consent")).toContainText("Microsoft-managed");
  await expect(page.getByTestId("policy-user-consent")).toContainText("Risk-based step-up consent is on");
});

test("a Cloud Application Administrator sees the user consent step disabled with the reason", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/policies/user-consent");
  await expect(page.getByTestId("role-note")).toHaveText(/Not with your role\. The authorization policy needs Privileged Role Administrator or Global Administrator\./);
  for (const radio of await page.getByRole("radio").all()) await expect(radio).toBeDisabled();
  await expect(page.getByRole("button", { name: "Preview the change" })).toBeDisabled();
  // Going to the preview by its address does not help: the change stays blocked, with the reason.
  await page.goto("/admin/policies/user-consent?step=preview&choice=legacy");
  await expect(page.getByTestId("blocked-reason")).toContainText("Not with your role: The authorization policy needs Privileged Role Administrator");
  await expect(page.getByTestId("confirm-form")).toHaveCount(0);
});

for (const who of ["User", "Cloud Application Administrator"] as const) {
  test(`a form posted by a ${who} is refused and the tenant does not change`, async ({ page, context, browser }) => {
    await signInAs(page, account("Privileged Role Administrator"));
    await page.goto("/admin/policies/user-consent?step=preview&choice=legacy");
    await page.getByLabel("Justification").fill("Trying to post as someone else");
    await switchSession(context, browser, account(who));
    await page.getByRole("button", { name: "Change user consent to: Allow user consent for all apps" }).click();
    await expect(page.getByTestId("refusal")).toContainText(
      who === "User" ? "Your role does not allow this change." : "Not with your role: The authorization policy needs Privileged Role Administrator or Global Administrator.",
    );
    expect(await assigned()).toEqual([LOW, TEAM, CHAT]);
    expect(await auditRows("Trying to post as someone else")).toEqual([]);
  });
}

test("a Cloud Application Administrator turns on the admin consent workflow with reviewers found in the directory", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/policies/consent-workflow");
  await expect(page.getByTestId("current-policy")).toContainText("Users cannot request admin consent");
  await page.getByLabel("Users can request admin consent to apps they are unable to consent to").check();
  await page.getByLabel("Reviewers get an email for each new request").check();
  await page.getByLabel("Reviewers get reminders before a request expires").check();
  await page.getByLabel("Requests expire after (days, 1–30)").fill("14");
  await page.getByLabel("Find users, groups or roles by name").fill("Sal");
  await page.getByRole("button", { name: "Search the directory" }).click();
  await page.getByTestId("search-results").getByLabel(/Group: Sales/).check();
  await page.getByLabel("Find users, groups or roles by name").fill("Casey");
  await page.getByRole("button", { name: "Search the directory" }).click();
  await expect(page.getByTestId("chosen-reviewers")).toContainText("Sales");
  await page.getByTestId("search-results").getByLabel(/User: Casey Jensen/).check();
  await page.getByRole("button", { name: "Preview the change" }).click();

  // Casey (Cloud Application Administrator) and the Sales group: nobody who can approve Graph app permissions.
  await expect(page.getByTestId("approver-warning")).toContainText("None of the chosen reviewers can approve Microsoft Graph application permissions");
  await expect(page.getByTestId("after")).toContainText("Reviewers: members of group Sales; user Casey Jensen.");
  await expect(page.getByTestId("after")).toContainText("A request expires after 14 days.");
  await shot(page, "consent-workflow-preview");

  const why = `Seed 000 option 2 for Okta e2e ${Date.now()}`;
  await confirmWith(page, why, "Save the admin consent workflow");
  await expect(page.getByTestId("result-message")).toContainText("users can now request admin consent");
  await expect(page.getByTestId("result-notes")).toContainText("None of the chosen reviewers can approve");
  await expectCallsListed(page, /PUT \/v1\.0\/policies\/adminConsentRequestPolicy\s*204/);
  await shot(page, "consent-workflow-result");

  const policy = await graphGet<{ isEnabled: boolean; notifyReviewers: boolean; remindersEnabled: boolean; requestDurationInDays: number; reviewers: { query: string; queryType: string }[] }>(
    await reader(),
    "/policies/adminConsentRequestPolicy",
  );
  expect(policy).toMatchObject({ isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14 });
  expect(policy.reviewers.map((r) => [r.query, r.queryType])).toEqual([
    [`/groups/${SALES}/transitiveMembers/microsoft.graph.user`, "MicrosoftGraph"],
    [`/users/${CASEY}`, "MicrosoftGraph"],
  ]);
  expect((await auditRows(why)).map((r) => r.outcome)).toEqual(["intended", "succeeded"]);
});

test("choosing the Global Administrator role as reviewer clears the Graph app permission warning; expiry is bounded", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/policies/consent-workflow?step=preview&isEnabled=on&requestDurationInDays=7&reviewer=role:62e90394-69f5-4237-9190-012177145e10");
  await expect(page.getByTestId("after")).toContainText("everyone with the role Global Administrator");
  await expect(page.getByTestId("approver-warning")).toHaveCount(0);
  await page.goto("/admin/policies/consent-workflow?step=preview&isEnabled=on&requestDurationInDays=31&reviewer=role:62e90394-69f5-4237-9190-012177145e10");
  await expect(page.getByTestId("choose-errors")).toContainText("Requests can wait at most 30 days.");
  await expect(page.getByRole("button", { name: "Preview the change" })).toBeVisible();
});

test("a Cloud Application Administrator applies the Okta Office 365 Mail set; admin-consent permissions are refused with Graph's reason", async ({ page }) => {
  await signInAs(page, account("Cloud Application Administrator"));
  await page.goto("/admin/policies/classifications");
  await expect(page.getByTestId("current-policy")).toContainText("Classified low impact (4): email, openid, profile, User.Read.");

  await page.getByLabel("Add permissions").fill("Directory.Read.All");
  await page.getByRole("button", { name: "Preview the change" }).click();
  await expect(page.getByTestId("classification-plan")).toContainText(
    "refused — Permission 'Directory.Read.All' requires admin consent and cannot be classified. Only delegated permissions that do not require admin consent can be classified.",
  );
  await expect(page.getByTestId("blocked-reason")).toContainText("Entra refuses every permission you chose");

  await page.goto("/admin/policies/classifications");
  await page.getByRole("link", { name: "Apply the Okta Office 365 Mail set" }).click();
  for (const name of OKTA_MAIL) await expect(page.getByTestId("classification-plan").getByRole("row").filter({ hasText: name }).first()).toContainText("classify as low impact");
  await shot(page, "classifications-preview");
  const why = `Okta Workflows Office 365 Mail connector e2e ${Date.now()}`;
  // Mail.ReadWrite and Mail.Send are high risk: applying them needs the acknowledgment (e2e/classification-warning.spec.ts).
  await page.getByRole("checkbox", { name: /I understand that every user will be able/ }).check();
  await page.getByLabel("Justification").fill(why);
  await page.getByRole("button", { name: "Mark 5 permissions low impact" }).click();
  await expect(page.getByTestId("result-message")).toContainText("classified Mail.ReadWrite, Mail.ReadWrite.Shared, Mail.Send, Mail.Send.Shared, offline_access as low impact");
  await expect(page.getByTestId("graph-calls").getByRole("row").filter({ hasText: /POST .*delegatedPermissionClassifications\s*201/ })).toHaveCount(5);
  // Each classification is read back after it is written: the change is checked, not assumed.
  await expect(page.getByTestId("graph-calls").getByRole("row").filter({ hasText: /GET .*delegatedPermissionClassifications\s*200/ })).not.toHaveCount(0);
  await shot(page, "classifications-result");

  const { value } = await graphGet<{ value: { permissionName: string; classification: string }[] }>(await reader(), `${GRAPH_SP}/delegatedPermissionClassifications`);
  expect(value.map((c) => c.permissionName).sort()).toEqual(["email", "openid", "profile", "User.Read", ...OKTA_MAIL].sort());
  const rows = await auditRows(why);
  expect(rows.filter((r) => r.outcome === "succeeded").map((r) => r.action)).toEqual(Array(5).fill("policy.classification.add"));

  // and one removed again
  await page.goto("/admin/policies/classifications");
  await page.getByTestId("classified").getByLabel(/Mail\.Send\.Shared/).check();
  await page.getByRole("button", { name: "Preview the change" }).click();
  await expect(page.getByTestId("classification-plan")).toContainText("remove the low-impact classification");
  await confirmWith(page, "Okta needs only Mail.Send for now", "Remove the low-impact mark from 1 permission");
  await expect(page.getByTestId("result-message")).toContainText("removed Mail.Send.Shared");
  const after = await graphGet<{ value: { permissionName: string }[] }>(await reader(), `${GRAPH_SP}/delegatedPermissionClassifications`);
  expect(after.value.map((c) => c.permissionName)).not.toContain("Mail.Send.Shared");
});

test("a Global Administrator allows group-owner consent for all group owners", async ({ page }) => {
  await signInAs(page, account("Global Administrator"));
  await page.goto("/admin/policies/group-consent");
  await expect(page.getByTestId("current-policy")).toHaveText("Group owners cannot consent to apps accessing their groups' data.");
  await expect(page.getByTestId("group-consent-retiring")).toContainText("This tenant still has the setting");
  await page.getByRole("radio", { name: /Allow group owner consent for all group owners/ }).check();
  await page.getByRole("button", { name: "Preview the change" }).click();
  await expect(page.getByTestId("after")).toContainText("Every group owner can consent to apps accessing their group's data.");
  await shot(page, "group-consent-preview");
  const why = `Seed 002 Okta Office 365 Admin connector e2e ${Date.now()}`;
  await confirmWith(page, why, "Change group-owner consent");
  await expect(page.getByTestId("result-message")).toContainText("Group-owner consent is saved.");
  await expectCallsListed(page, new RegExp(`PATCH /beta/settings/${SETTINGS_ID}\\s*204`));
  await shot(page, "group-consent-result");

  const setting = await betaGet<{ values: { name: string; value: string }[] }>(`/settings/${SETTINGS_ID}`);
  expect(Object.fromEntries(setting.values.map((v) => [v.name, v.value]))).toEqual({
    EnableGroupSpecificConsent: "true",
    BlockUserConsentForRiskyApps: "true",
    EnableAdminConsentRequests: "false",
    ConstrainGroupSpecificConsentToMembersOfGroupId: "",
  });
  expect((await auditRows(why)).map((r) => r.outcome)).toEqual(["intended", "succeeded"]);
});

test("in a newer tenant without the group consent template, the page says so plainly and offers no change", async ({ page }) => {
  await withdrawGroupConsentTemplate();
  await signInAs(page, account("Global Administrator"));
  await page.goto("/admin/policies/group-consent");
  await expect(page.getByTestId("group-consent-unavailable")).toContainText("This tenant does not have the group-owner consent setting.");
  await expect(page.getByTestId("group-consent-unavailable")).toContainText("Microsoft is retiring group-owner consent (message center MC712143)");
  await expect(page.getByTestId("group-consent-successor")).toContainText("Teams resource-specific consent");
  await expect(page.getByRole("link", { name: "See the user consent setting" })).toHaveAttribute("href", "/admin/policies/user-consent");
  await expect(page.getByRole("radio")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Preview the change" })).toHaveCount(0);
  // The policy hub says the same in its summary rather than failing.
  await page.goto("/admin/policies");
  await expect(page.getByRole("main")).toContainText("does not have");
});

test("a Privileged Role Administrator sees group-owner consent disabled with the reason, and the hub shows every policy in words", async ({ page }) => {
  await signInAs(page, account("Privileged Role Administrator"));
  await page.goto("/admin/policies/group-consent");
  await expect(page.getByTestId("role-note")).toContainText("The group consent directory setting needs Global Administrator.");
  await expect(page.getByRole("radio", { name: /all group owners/ })).toBeDisabled();
  await page.goto("/admin/policies");
  await expect(page.getByTestId("policy-user-consent")).toContainText("verified publishers");
  await expect(page.getByTestId("policy-consent-workflow")).toContainText("Users cannot request admin consent");
  await expect(page.getByTestId("policy-consent-workflow")).toContainText("Your role can look but not change this");
  await expect(page.getByTestId("policy-classifications")).toContainText("Classified low impact (4)");
  await expect(page.getByTestId("policy-group-consent")).toContainText("Group owners cannot consent");
  await shot(page, "hub");
});
