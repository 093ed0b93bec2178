import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { account, queryTestDatabase, scanFromInventoryPage, signInAs } from "./helpers";
import { clearFaults, graphGet, graphSend, graphToken, resetSimulator } from "./simulator";

// Revoking an app the portal's catalog does not list: most apps an inventory finds were consented to
// outside the portal. An admin scans, picks a finding on such an app, revokes it through the revoke
// wizard's preview; the tenant, read back through Graph, no longer holds the grant, and the audit
// trail has the change. The app's own page and revoke wizard work from its service principal too.

/** Tailspin Reports: in the seeded tenant (verified publisher, Reports.Read.All on Graph), not in the starting catalog. */
const TAILSPIN = "16013f0c-5738-42b2-8b83-d6630a222969";
const TAILSPIN_SP = "1af31aeb-c76c-4838-8ed7-0f1edc2c17ea";
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
/** Unique per test and run: the audit trail is looked up by it, and the database outlives a run. */
const justification = () => `Tailspin Reports never needed this, ticket IT-7410 ${randomUUID().slice(0, 8)}`;

type Grant = { id: string; consentType: string; scope: string };
type Assignment = { id: string; resourceId: string; appRoleId: string };


const readToken = () => graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");

/** Tailspin's tenant-wide delegated scopes, read through Microsoft Graph (not through the portal). */
async function tenantWideScopes(): Promise<string[]> {
  const grants = await graphGet<{ value: Grant[] }>(await readToken(), `/oauth2PermissionGrants?$filter=clientId eq '${TAILSPIN_SP}'`);
  return grants.value.filter((g) => g.consentType === "AllPrincipals").flatMap((g) => g.scope.split(" ").filter(Boolean));
}

/** Tailspin's application permissions, read through Microsoft Graph. */
async function appRoleAssignments(): Promise<Assignment[]> {
  return (await graphGet<{ value: Assignment[] }>(await readToken(), `/servicePrincipals/${TAILSPIN_SP}/appRoleAssignments`)).value;
}


test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
  // The point of these tests: the app is not in the catalog. e2e/self-service.spec.ts adds it (an admin's
  // "add to catalog"), so whatever ran before, take it out again: the catalog row is all that makes the difference.
  await queryTestDatabase(`DELETE FROM "CatalogApp" WHERE "appId" = $1`, [TAILSPIN]);
});

test("an admin revokes a finding on an app outside the catalog through the preview; Graph and the audit trail agree", async ({ page }) => {
  test.setTimeout(180_000);
  const JUSTIFICATION = justification();
  // Consent granted in Entra, outside the portal: mail for the whole organization.
  const admin = await graphToken(account("Global Administrator"), "DelegatedPermissionGrant.ReadWrite.All Directory.Read.All");
  await graphSend(admin, "POST", "/oauth2PermissionGrants", { clientId: TAILSPIN_SP, consentType: "AllPrincipals", resourceId: GRAPH_SP, scope: "User.Read Mail.Read" });
  await signInAs(page, account("Cloud Application Administrator"));
  await scanFromInventoryPage(page);

  await page.goto("/inventory/findings?kind=tenant-wide-mail-or-files");
  const finding = page.getByTestId("finding").filter({ hasText: /Tailspin Reports holds .*Mail\.Read/ });
  await expect(finding).toHaveCount(1);
  await finding.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Preview revoking the selected" }).click();

  // The revoke wizard's preview, the app described from its service principal: not left out.
  const app = page.getByTestId("bulk-app").filter({ hasText: "Tailspin Reports" });
  await expect(app).toHaveCount(1);
  await expect(app.getByTestId("not-in-catalog")).toContainText("Tailspin Toys, verified");
  await expect(app.getByTestId("removes-scope")).toHaveText([/Mail\.Read/]);
  // Nothing changes before the confirmation.
  expect((await tenantWideScopes()).sort()).toEqual(["Mail.Read", "User.Read"]);

  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: "Revoke for 1 app" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Done: 1 of 1 apps revoked" })).toBeVisible();

  expect(await tenantWideScopes()).toEqual(["User.Read"]);
  const audited = await queryTestDatabase<{ action: string; targetName: string }>(
    `SELECT action, "targetName" FROM "AuditEvent" WHERE "targetAppId" = $1 AND justification = $2 AND outcome = 'succeeded'`,
    [TAILSPIN, JUSTIFICATION],
  );
  expect(audited.map((event) => event.action)).toEqual(["revoke.delegated.allPrincipals"]);
  expect(audited[0]!.targetName).toContain("Tailspin Reports");
});

test("an app outside the catalog has an app page and a revoke wizard; an app in neither the catalog nor the tenant is not found", async ({ page }) => {
  test.setTimeout(120_000);
  const JUSTIFICATION = justification();
  // Only a Global or Privileged Role Administrator may remove application permissions on Microsoft Graph.
  await signInAs(page, account("Global Administrator"));
  await page.goto(`/admin/apps/${TAILSPIN}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tailspin Reports");
  await expect(page.getByTestId("not-in-catalog")).toContainText("Not in the portal's catalog");
  await expect(page.getByTestId("app-permissions")).toContainText("Reports.Read.All");
  // Granting needs the catalog's list of what the app asks for.
  await expect(page.getByRole("link", { name: "Grant tenant-wide consent" })).toHaveCount(0);
  // The wizards that start from the catalog answer a real 404 for it (before any skeleton streams), with the not-found page.
  for (const wizard of ["grant", "access", "consent-link", "recipe"]) {
    const response = await page.goto(`/admin/apps/${TAILSPIN}/${wizard}`);
    expect(response?.status(), wizard).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  }
  await page.goto(`/admin/apps/${TAILSPIN}`);

  await page.getByRole("link", { name: "Revoke consent" }).click();
  await expect(page.getByTestId("not-in-catalog")).toContainText("Tailspin Toys, verified publisher");
  await page.getByRole("checkbox", { name: /Reports\.Read\.All/ }).check();
  await page.getByRole("button", { name: "Preview changes" }).click();
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: "Revoke 1 permission", exact: true }).click();
  await expect(page.getByTestId("result-message")).toBeVisible();

  expect(await appRoleAssignments()).toEqual([]);
  const audited = await queryTestDatabase<{ action: string }>(`SELECT action FROM "AuditEvent" WHERE "targetAppId" = $1 AND justification = $2 AND outcome = 'succeeded'`, [TAILSPIN, JUSTIFICATION]);
  expect(audited.map((event) => event.action)).toContain("revoke.applicationPermission");

  for (const path of ["/admin/apps/0d4c5b6a-1e2f-4a3b-8c9d-7e6f5a4b3c2d", "/admin/apps/0d4c5b6a-1e2f-4a3b-8c9d-7e6f5a4b3c2d/revoke"]) {
    expect((await page.request.get(path)).status(), path).toBe(404);
  }
});
