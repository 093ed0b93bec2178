import { expect, test, type Page } from "@playwright/test";
import vendorApps from "../sim/fixtures/vendor-apps.json";
import tenant from "../sim/fixtures/tenant.json";
import { account, type SeededAccount } from "./helpers";
import { graphGet, graphSend, graphToken, LOGIN, resetSimulator } from "./simulator";

const appId = (name: string) => vendorApps.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
const OKTA_ADMIN = appId("Office 365 Admin for Okta Workflows");
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";

/** The user consent settings the "try to sign in" journeys run under: the fixtures' and Entra's Microsoft-managed one. */
const USER_CONSENT_POLICIES = [
  { name: "verified publishers, low impact", entry: "ManagePermissionGrantsForSelf.microsoft-user-default-low" },
  { name: "Microsoft-managed", entry: "ManagePermissionGrantsForSelf.microsoft-user-default-recommended" },
] as const;

/** Sets the tenant's user consent policy through Graph, as a Privileged Role Administrator would. */
async function useUserConsentPolicy(entry: string) {
  const token = await graphToken(account("Privileged Role Administrator"), "Policy.ReadWrite.Authorization");
  await graphSend(token, "PATCH", "/policies/authorizationPolicy", { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [entry, TEAM, CHAT] } });
}

/** Classifies Microsoft Graph permissions low impact through Graph (the fixtures classify User.Read and the OpenID scopes already). */
async function classifyLow(names: string[]) {
  const token = await graphToken(account("Cloud Application Administrator"), "Policy.ReadWrite.PermissionGrant Application.Read.All");
  const already = new Set(["user.read", "openid", "profile", "email"]);
  for (const permissionName of names.filter((name) => !already.has(name.toLowerCase()))) {
    await graphSend(token, "POST", "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications", { permissionName, classification: "low" });
  }
}

async function trySignIn(page: Page, who: SeededAccount, app: string) {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(who.id);
  await page.getByLabel("App").selectOption(app);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function adminConsent(page: Page, who: SeededAccount, app: string, decision: "Accept" | "Cancel") {
  await page.goto(`${LOGIN}/${tenant.tenantId}/v2.0/adminconsent?client_id=${app}`);
  await page.getByLabel("Sign in as").selectOption(who.id);
  await page.getByRole("button", { name: decision }).click();
}

test.beforeEach(async () => {
  await resetSimulator();
});

for (const policy of USER_CONSENT_POLICIES) {
test(`${policy.name}: a user needs admin approval for Nylas until an admin consents for the organization`, async ({ page }) => {
  await useUserConsentPolicy(policy.entry);
  const riley = account("User");
  await trySignIn(page, riley, NYLAS);
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");
  await expect(page.getByTestId("error-details")).toContainText("AADSTS90094");
  await expect(page.getByTestId("error-details")).toContainText(`App ID: ${NYLAS}`);

  await adminConsent(page, account("Global Administrator"), NYLAS, "Accept");
  await expect(page.getByTestId("outcome")).toHaveText("Consent granted");

  // The tenant, read back through Graph: Nylas has a service principal and one tenant-wide grant.
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  expect(sps.value).toHaveLength(1);
  const grants = await graphGet<{ value: { consentType: string; scope: string }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sps.value[0]!.id}'`);
  expect(grants.value).toHaveLength(1);
  expect(grants.value[0]!.consentType).toBe("AllPrincipals");
  expect(grants.value[0]!.scope.split(" ")).toEqual(expect.arrayContaining(["Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"]));

  await trySignIn(page, riley, NYLAS);
  await expect(page.getByTestId("outcome")).toHaveText("You're signed in to Nylas");
});
}

test("Microsoft-managed: a user consents to a verified publisher's app asking only low-impact permissions, and it opens", async ({ page }) => {
  await useUserConsentPolicy(USER_CONSENT_POLICIES[1].entry);
  await classifyLow(vendorApps.apps.find((app) => app.appId === NYLAS)!.requiredResourceAccess.flatMap((r) => r.scopes));
  const riley = account("User");
  await trySignIn(page, riley, NYLAS);
  await expect(page.getByTestId("outcome")).toHaveText("Permissions requested");
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByTestId("outcome")).toHaveText("You're signed in to Nylas");
  // The tenant, read back through Graph: a grant for Riley alone, not for everyone.
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  const grants = await graphGet<{ value: { consentType: string; principalId: string | null }[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sps.value[0]!.id}'`);
  expect(grants.value).toEqual([expect.objectContaining({ consentType: "Principal", principalId: riley.id })]);
});

test("declining the admin-consent screen grants nothing", async ({ page }) => {
  await adminConsent(page, account("Global Administrator"), NYLAS, "Cancel");
  await expect(page.getByTestId("outcome")).toHaveText("Consent was declined");
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  const sps = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${NYLAS}'`);
  expect(sps.value).toHaveLength(0);
});

test("a Cloud Application Administrator cannot grant Microsoft Graph application permissions on the consent screen", async ({ page }) => {
  await adminConsent(page, account("Cloud Application Administrator"), OKTA_ADMIN, "Accept");
  await expect(page.getByTestId("outcome")).toHaveText("Need admin approval");
  const token = await graphToken(account("Security Reader"), "Application.Read.All");
  const sps = await graphGet<{ value: unknown[] }>(token, `/servicePrincipals?$filter=appId eq '${OKTA_ADMIN}'`);
  expect(sps.value).toHaveLength(0);
});
