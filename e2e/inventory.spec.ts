import { expect, request, test, type Page } from "@playwright/test";
import catalog from "../lib/catalog/starting-catalog.json";
import { account, scanFromInventoryPage, signInAs } from "./helpers";
import { clearFaults, GRAPH, graphGet, graphToken, resetSimulator } from "./simulator";

// The consent inventory end to end on the simulated tenant: an admin scans, opens a finding, revokes
// it through the revoke wizard's preview, and the tenant (read back through Graph) and the next scan
// agree it is gone; several findings revoked at once; the export; a reviewer's posture baseline.

const appId = (name: string) => catalog.apps.find((app) => app.displayName === name)!.appId;
const NYLAS = appId("Nylas");
const OUTREACH = appId("Outreach");
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
const JUSTIFICATION = "Inventory finding reviewed, ticket IT-7001";

type Grant = { id: string; consentType: string; principalId: string | null; resourceId: string; scope: string };

async function graphWrite(token: string, method: "POST" | "PATCH", path: string, data: unknown) {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const reply = await api.fetch(`${GRAPH}/v1.0${path}`, { method, headers: { authorization: `Bearer ${token}` }, data });
  expect(reply.ok(), await reply.text()).toBe(true);
  const body = reply.status() === 204 ? null : await reply.json();
  await api.dispose();
  return body as { id: string } | null;
}

async function adminToken() {
  return graphToken(account("Global Administrator"), "Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Directory.Read.All Policy.ReadWrite.Authorization");
}

/** An app in the tenant with a tenant-wide delegated grant on Microsoft Graph, written through Graph. */
async function seedTenantWide(clientAppId: string, scope: string) {
  const token = await adminToken();
  const sp = (await graphWrite(token, "POST", "/servicePrincipals", { appId: clientAppId }))!;
  await graphWrite(token, "POST", "/oauth2PermissionGrants", { clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP, scope });
  return sp.id;
}

/** The scopes an app holds for all users, read back through Microsoft Graph (not through the portal). */
async function tenantWideScopes(clientAppId: string): Promise<string[]> {
  const token = await graphToken(account("Security Reader"), "Application.Read.All Directory.Read.All");
  const sps = await graphGet<{ value: { id: string }[] }>(token, `/servicePrincipals?$filter=appId eq '${clientAppId}'`);
  const sp = sps.value[0];
  if (!sp) return [];
  const grants = await graphGet<{ value: Grant[] }>(token, `/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`);
  return grants.value.filter((g) => g.consentType === "AllPrincipals").flatMap((g) => g.scope.split(" ").filter(Boolean));
}


async function findingsOf(page: Page, kind: string) {
  await page.goto(`/inventory/findings?kind=${kind}`);
  return page.getByTestId("finding");
}

test.beforeEach(async () => {
  await resetSimulator();
  await clearFaults();
});

test("an admin scans, opens a finding, revokes it through the wizard's preview, and the next scan no longer shows it", async ({ page }) => {
  test.setTimeout(180_000);
  await seedTenantWide(NYLAS, "User.Read Mail.ReadWrite Mail.Send");
  await signInAs(page, account("Cloud Application Administrator"));

  await scanFromInventoryPage(page);
  const nylasRow = page.getByTestId("inventory-row").filter({ hasText: "Nylas" });
  await expect(nylasRow).toHaveCount(1);
  await expect(nylasRow.getByRole("link", { name: "Nylas", exact: true })).toHaveAttribute("href", `/admin/apps/${NYLAS}`);

  const findings = await findingsOf(page, "tenant-wide-mail-or-files");
  const mailReadWrite = findings.filter({ hasText: /Nylas holds .*Mail\.ReadWrite/ });
  await expect(mailReadWrite).toHaveCount(1);
  await expect(findings.filter({ hasText: /Nylas holds .*Mail\.Send/ })).toHaveCount(1);

  await mailReadWrite.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Mail.ReadWrite");
  await page.getByRole("link", { name: "Revoke — preview first" }).click();

  // The revoke wizard's own preview, with exactly the finding's scope chosen.
  await expect(page).toHaveURL(new RegExp(`/admin/apps/${NYLAS}/revoke\\?step=preview`));
  await expect(page.getByTestId("removes-scope")).toHaveCount(1);
  await expect(page.getByTestId("removes-scope")).toContainText("Mail.ReadWrite");
  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: "Revoke 1 permission", exact: true }).click();
  await expect(page.getByTestId("result-message")).toBeVisible();

  expect((await tenantWideScopes(NYLAS)).sort()).toEqual(["Mail.Send", "User.Read"]);

  await scanFromInventoryPage(page);
  await expect(page.getByTestId("inventory-row").filter({ hasText: "Nylas" })).toContainText("changed");
  const after = await findingsOf(page, "tenant-wide-mail-or-files");
  await expect(after.filter({ hasText: /Nylas holds .*Mail\.Send/ })).toHaveCount(1);
  await expect(after.filter({ hasText: /Nylas holds .*Mail\.ReadWrite/ })).toHaveCount(0);
});

test("an admin revokes findings of two apps at once: every app's preview together, each applied by the revoke wizard", async ({ page }) => {
  test.setTimeout(180_000);
  await seedTenantWide(NYLAS, "User.Read Mail.ReadWrite Mail.Send");
  await seedTenantWide(OUTREACH, "User.Read Files.Read.All");
  await signInAs(page, account("Cloud Application Administrator"));
  await scanFromInventoryPage(page);

  const findings = await findingsOf(page, "tenant-wide-mail-or-files");
  await findings.filter({ hasText: /Nylas holds .*Mail\.Send/ }).getByRole("checkbox").check();
  await findings.filter({ hasText: /Outreach holds .*Files\.Read\.All/ }).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Preview revoking the selected" }).click();

  const apps = page.getByTestId("bulk-app");
  await expect(apps).toHaveCount(2);
  await expect(apps.filter({ hasText: "Nylas" }).getByTestId("removes-scope")).toHaveText([/Mail\.Send/]);
  await expect(apps.filter({ hasText: "Outreach" }).getByTestId("removes-scope")).toHaveText([/Files\.Read\.All/]);
  // Nothing changes before the confirmation.
  expect((await tenantWideScopes(OUTREACH)).sort()).toEqual(["Files.Read.All", "User.Read"]);

  await page.getByLabel("Justification").fill(JUSTIFICATION);
  await page.getByRole("button", { name: "Revoke for 2 apps" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveCount(2);
  await expect(page.getByRole("status").filter({ hasText: "Done: 2 of 2 apps revoked" })).toBeVisible();

  expect((await tenantWideScopes(NYLAS)).sort()).toEqual(["Mail.ReadWrite", "User.Read"]);
  expect(await tenantWideScopes(OUTREACH)).toEqual(["User.Read"]);
});

test("the export downloads the inventory and the findings as CSV and JSON, filtered as on the page", async ({ page }) => {
  test.setTimeout(120_000);
  await seedTenantWide(NYLAS, "User.Read Mail.ReadWrite");
  await seedTenantWide(OUTREACH, "User.Read");
  await signInAs(page, account("Cloud Application Administrator"));
  await scanFromInventoryPage(page);

  const total = Number((await page.getByTestId("inventory-total").textContent())?.match(/^(\d+)/)?.[1]);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  const lines = (await readDownload(csv)).trimEnd().split("\n");
  expect(lines[0]).toMatch(/^appId,servicePrincipalId,displayName,/);
  expect(lines).toHaveLength(total + 1);
  expect(lines.filter((line) => line.startsWith(`${NYLAS},`))).toHaveLength(1);

  await page.goto(`/inventory?q=${encodeURIComponent("Outreach")}`);
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
  const apps = JSON.parse(await readDownload(json)) as { appId: string; tenantWideScopes: string }[];
  expect(apps.map((a) => a.appId)).toEqual([OUTREACH]);

  await page.goto("/inventory/findings?kind=tenant-wide-mail-or-files");
  const [findingsJson] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON" }).click()]);
  const findings = JSON.parse(await readDownload(findingsJson)) as { appId: string; kind: string; revokeScopes: string }[];
  expect(findings.filter((f) => f.appId === NYLAS).map((f) => f.revokeScopes)).toEqual([expect.stringContaining("Mail.ReadWrite")]);
  expect(findings.every((f) => f.kind === "tenant-wide-mail-or-files")).toBe(true);
});

async function readDownload(download: import("@playwright/test").Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

test("a reviewer picks a baseline and sees each check's expected and actual setting, read from the tenant", async ({ page }) => {
  const token = await adminToken();
  await graphWrite(token, "PATCH", "/policies/authorizationPolicy", { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [] } });
  await signInAs(page, account("Security Reader"));

  await page.goto("/inventory");
  // Reviewers read; only admins scan.
  await expect(page.getByTestId("scan-panel")).toBeVisible();
  await expect(page.getByRole("button", { name: "Start a scan" })).toHaveCount(0);

  await page.goto("/inventory/posture");
  await page.getByRole("radio", { name: /CISA ScubaGear/ }).check();
  await page.getByRole("button", { name: "Use this baseline" }).click();
  await expect(page.getByTestId("posture-baseline")).toContainText("CISA ScubaGear");

  const consentCheck = page.getByTestId("posture-check").filter({ hasText: "User consent to applications shall be restricted" });
  await expect(consentCheck).toHaveAttribute("data-status", "pass");
  await expect(consentCheck).toContainText("User consent is off");
  await expect(page.getByTestId("posture-check")).toHaveCount(3);

  // The choice is remembered, and the check follows the tenant: users may now consent to any app.
  await graphWrite(token, "PATCH", "/policies/authorizationPolicy", { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"] } });
  await page.reload();
  await expect(page.getByTestId("posture-baseline")).toContainText("CISA ScubaGear");
  await expect(page.getByRole("radio", { name: /CISA ScubaGear/ })).toBeChecked();
  await expect(consentCheck).toHaveAttribute("data-status", "fail");
  await expect(consentCheck).toContainText("Users may consent to any app");
  await expect(consentCheck).toContainText("An admin fixes it in");
});
