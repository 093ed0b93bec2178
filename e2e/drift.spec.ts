import { expect, test } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, signInAs, queryTestDatabase } from "./helpers";
import { graphGet, graphSend, graphToken, resetSimulator } from "./simulator";

// Drift as an admin meets it: an app's approved baseline, a scope granted in Entra outside the portal,
// "Check drift now" finds it, and the admin reverts it from its finding through the revoke wizard's
// preview; the tenant, read back through Graph, no longer holds the scope, and the drift is closed.

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const NYLAS = catalog.apps.find((app) => app.displayName === "Nylas")!.appId;
const JUSTIFICATION = "Mail.Send was never approved for Nylas, ticket IT-7300";


type ServicePrincipal = { id: string; verifiedPublisher?: { displayName: string | null } };
type Grant = { id: string; consentType: string; scope: string };

const readToken = () => graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
const writeToken = () => graphToken(account("Global Administrator"), "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All Directory.Read.All");

async function servicePrincipal(token: string, appId: string): Promise<ServicePrincipal | undefined> {
  return (await graphGet<{ value: ServicePrincipal[] }>(token, `/servicePrincipals?$filter=appId eq '${appId}'`)).value[0];
}

/** The app's tenant-wide grant on Microsoft Graph, read through Graph. */
async function tenantWideGrant(token: string, clientId: string): Promise<Grant | undefined> {
  return (await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${clientId}'`)).value.find((g) => g.consentType === "AllPrincipals");
}

test.beforeEach(async () => {
  await resetSimulator();
  // Drift and baselines outlive the simulator's reset: this test starts from none.
  await queryTestDatabase(`DELETE FROM "BaselineDrift"`);
  await queryTestDatabase(`DELETE FROM "AppBaseline"`);
});

test("an admin reverts a scope granted outside the portal from its drift finding, through the revoke wizard's preview", async ({ page }) => {
  // Nylas consented tenant-wide to User.Read, and approved so in the portal (its baseline).
  const admin = await writeToken();
  await graphSend(admin, "POST", "/servicePrincipals", { appId: NYLAS });
  const sp = (await servicePrincipal(admin, NYLAS))!;
  const graphSp = (await servicePrincipal(admin, GRAPH_API))!;
  await graphSend(admin, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "AllPrincipals", resourceId: graphSp.id, scope: "User.Read" });
  const alex = account("Global Administrator");
  await queryTestDatabase(
    `INSERT INTO "AppBaseline" ("appId", "displayName", permissions, "verifiedPublisher", source, justification, "approvedByOid", "approvedByUpn", "approvedByName", "approvedAt")
     VALUES ($1, 'Nylas', $2, $3, 'grant', 'Calendar sync for the sales team', $4, $5, $6, now())`,
    [NYLAS, JSON.stringify([{ resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "User.Read" }]), sp.verifiedPublisher?.displayName ?? null, alex.id, alex.userPrincipalName, alex.displayName],
  );

  // Someone adds Mail.Send in Entra, outside the portal.
  const grant = (await tenantWideGrant(admin, sp.id))!;
  await graphSend(admin, "PATCH", `/oauth2PermissionGrants/${grant.id}`, { scope: "User.Read Mail.Send" });

  await signInAs(page, alex);
  await page.goto("/inventory/drift");
  await expect(page.getByTestId("no-drift")).toBeVisible();
  await page.getByRole("button", { name: "Check drift now" }).click();
  await expect(page.getByTestId("drift-check-result")).toHaveText("Checked 1 app: 1 new drift.");
  const finding = page.getByTestId("drift").filter({ hasText: "Mail.Send on Microsoft Graph was granted for all users outside the portal" });
  await expect(finding).toHaveCount(1);
  await expect(finding).toHaveAttribute("data-kind", "added");

  // Revert: the revoke wizard's preview, preselected with Mail.Send only.
  await finding.getByRole("link", { name: "Revert: revoke it" }).click();
  await expect(page).toHaveURL(/\/inventory\/drift\/revert\?drift=/);
  await expect(page.getByRole("list", { name: "Wizard steps" }).getByRole("listitem").filter({ hasText: "Preview" })).toHaveAttribute("aria-current", "step");
  await expect(page.getByText("Mail.Send").first()).toBeVisible();
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: /^Revoke \d+ changes? and close the drift$/ }).click();
  await expect(page.getByTestId("result-message")).toBeVisible();
  await expect(page.getByTestId("drift-revert-status")).toContainText("The drift is closed as reverted.");

  // The tenant, read back through Graph: Mail.Send is gone, User.Read (approved) stays.
  const after = await tenantWideGrant(await readToken(), sp.id);
  expect(after?.scope.split(" ").filter(Boolean).sort()).toEqual(["User.Read"]);

  // The drift is closed as reverted, by the admin and with the justification; the page shows no open drift.
  const rows = await queryTestDatabase<{ status: string; closedByUpn: string; closedReason: string }>(`SELECT status, "closedByUpn", "closedReason" FROM "BaselineDrift"`);
  expect(rows).toEqual([{ status: "reverted", closedByUpn: alex.userPrincipalName, closedReason: JUSTIFICATION }]);
  const audited = await queryTestDatabase<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE justification = $1 AND outcome = 'succeeded'`, [JUSTIFICATION]);
  expect(audited.length).toBeGreaterThan(0);
  await page.goto("/inventory/drift");
  await expect(page.getByTestId("no-drift")).toBeVisible();
  await expect(page.getByTestId("closed-drifts").locator("[data-status=reverted]")).toContainText(`Reverted by ${alex.displayName}`);
});
