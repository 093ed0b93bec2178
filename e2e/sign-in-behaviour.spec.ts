import { expect, test, type Page } from "@playwright/test";
import graphPermissions from "../lib/data/microsoft-graph-permissions.json";
import vendorApps from "../sim/fixtures/vendor-apps.json";
import { account } from "./helpers";
import { graphSend, graphToken, LOGIN, resetSimulator } from "./simulator";

const OKTA_MAIL = vendorApps.apps.find((app) => app.displayName === "Office 365 Mail for Okta Workflows")!.appId;
const GRAPH_SP = "/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";

/** What Entra shows Riley (a regular user) who opens Okta Workflows' mail connector right now. */
async function rileyOpensOktaMail(page: Page): Promise<string> {
  await page.goto(`${LOGIN}/`);
  await page.getByLabel("Account").selectOption(account("User").id);
  await page.getByLabel("App").selectOption(OKTA_MAIL);
  await page.getByRole("button", { name: "Sign in" }).click();
  return (await page.getByTestId("outcome").textContent()) ?? "";
}

test("the simulated sign-in follows the tenant's consent settings as they change", async ({ page }) => {
  await resetSimulator();
  // Verified publishers, low-impact permissions only — and none classified low yet.
  expect(await rileyOpensOktaMail(page)).toBe("Need admin approval");

  // Seed 000 option 3: classify the connector's permissions as low impact.
  const casey = await graphToken(account("Cloud Application Administrator"), "Policy.ReadWrite.PermissionGrant Application.Read.All");
  for (const permission of ["Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "offline_access"]) {
    const id = permissionId(permission);
    await graphSend(casey, "POST", `${GRAPH_SP}/delegatedPermissionClassifications`, { permissionId: id, classification: "low" });
  }
  expect(await rileyOpensOktaMail(page)).toBe("Permissions requested");

  // User consent off: users need an admin again.
  const priya = await graphToken(account("Privileged Role Administrator"), "Policy.ReadWrite.Authorization");
  await graphSend(priya, "PATCH", "/policies/authorizationPolicy", { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [TEAM, CHAT] } });
  expect(await rileyOpensOktaMail(page)).toBe("Need admin approval");

  // Seed 000 option 2: the admin consent workflow turns that into a request form.
  const workflowAdmin = await graphToken(account("Cloud Application Administrator"), "Policy.ReadWrite.ConsentRequest");
  await graphSend(workflowAdmin, "PUT", "/policies/adminConsentRequestPolicy", {
    isEnabled: true,
    notifyReviewers: true,
    remindersEnabled: false,
    requestDurationInDays: 14,
    reviewers: [{ query: `/users/${account("Cloud Application Administrator").id}`, queryType: "MicrosoftGraph", queryRoot: null }],
  });
  expect(await rileyOpensOktaMail(page)).toBe("Approval required");
});

function permissionId(value: string): string {
  return graphPermissions.delegatedScopesList.find((scope) => scope.value === value)!.id;
}
