import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parse, stringify } from "yaml";
import { riskOf } from "../lib/permissions";
import { account, docsScreenshot, queryTestDatabase, signInAs } from "./helpers";
import { graphGet, graphToken, resetSimulator } from "./simulator";

// The consent settings as a document: a reviewer downloads it (YAML and JSON), an admin uploads a
// changed one, sees the diff per section, applies it with a justification, and the tenant — read back
// through Graph, not through the portal — holds the new settings, each change in the audit trail.

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const GRAPH_SP = `/servicePrincipals(appId='${GRAPH_API}')`;
const ALEX = account("Global Administrator");
/** An app no other spec knows, so its baseline (removed afterwards) cannot disturb them. */
const EXPENSES = randomUUID();
const WHY = `Settings document reviewed in pull request ${randomUUID().slice(0, 8)}`;

type Doc = { apiVersion: string; kind: string; spec: Record<string, any> };

async function download(page: Page, link: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  return readFileSync((await file.path())!, "utf8");
}

async function reader() {
  return graphToken(account("Security Reader"), "Policy.Read.All Directory.Read.All");
}

test.beforeEach(async () => {
  await resetSimulator();
});

test.afterAll(async () => {
  await queryTestDatabase(`DELETE FROM "AppBaseline" WHERE "appId" = $1`, [EXPENSES]);
});

test("a reviewer downloads the settings as YAML and JSON, and compares a document read-only", async ({ page }) => {
  await signInAs(page, account("Security Reader"));
  await page.goto("/review");
  await page.getByRole("link", { name: /Consent settings document/ }).click();
  await expect(page.getByRole("heading", { name: "Consent settings document", level: 1 })).toBeVisible();

  const yamlText = await download(page, "Download YAML");
  const fromYaml = parse(yamlText) as Doc;
  expect(yamlText.startsWith("apiVersion: consent-portal/v1\nkind: ConsentSettings\n")).toBe(true);
  // The seeded tenant: users may consent to low-impact permissions of verified publishers.
  expect(fromYaml.spec.userConsent).toEqual({ policy: "low-impact" });
  expect(fromYaml.spec.adminConsentWorkflow).toMatchObject({ enabled: expect.any(Boolean), requestDurationInDays: expect.any(Number) });
  expect(Array.isArray(fromYaml.spec.classifications.lowImpact)).toBe(true);

  const fromJson = JSON.parse(await download(page, "Download JSON")) as Doc;
  expect(fromJson.spec).toEqual(fromYaml.spec);

  // A changed document: the diff in words, and no way to apply it as a reviewer. Reviewers it gives by ID
  // only are named from the directory, or said to be missing from it.
  fromYaml.spec.userConsent = { policy: "none" };
  const missing = randomUUID();
  fromYaml.spec.adminConsentWorkflow.reviewers = [...(fromYaml.spec.adminConsentWorkflow.reviewers ?? []), { type: "user", id: account("User").id }, { type: "user", id: missing }];
  await page.getByLabel("Or paste it (JSON or YAML)").fill(stringify(fromYaml));
  await page.getByRole("button", { name: "Compare with the tenant" }).click();
  await expect(page.getByTestId("diff-userConsent")).toContainText("User consent: Verified publishers, low-impact permissions → Do not allow user consent");
  await expect(page.getByTestId("diff-adminConsentWorkflow")).toContainText("+ user Riley Chen");
  await expect(page.getByTestId("diff-adminConsentWorkflow")).toContainText(`+ user ${missing} (no longer in the directory)`);
  await expect(page.getByTestId("diff-classifications")).toContainText("Same as the tenant");
  await expect(page.getByRole("button", { name: "Continue to confirm" })).toHaveCount(0);

  // A bad document: a message per field, nothing else.
  await page.getByLabel("Or paste it (JSON or YAML)").fill("apiVersion: consent-portal/v1\nkind: ConsentSettings\nspec:\n  userConsent:\n    policy: everyone\n  adminConsentWorkflow:\n    enabled: yes\n");
  await page.getByRole("button", { name: "Compare with the tenant" }).click();
  const problems = page.getByTestId("document-problems");
  await expect(problems).toContainText("not a valid consent settings document. Nothing was changed.");
  await expect(problems).toContainText("spec.userConsent.policy: Must be one of: none, low-impact, microsoft-managed, all-apps, custom.");
  await expect(problems).toContainText("spec.adminConsentWorkflow.enabled: enabled must be true or false.");
});

test("an admin uploads a changed document, sees the diff, applies it, and the tenant holds the new settings", async ({ page }) => {
  await signInAs(page, ALEX);
  await page.goto("/admin/policies");
  await page.getByRole("link", { name: "Export, compare or apply all of them as one document" }).click();
  await expect(page).toHaveURL(/\/admin\/policies\/document$/);

  const doc = parse(await download(page, "Download YAML")) as Doc;
  const lowNow: string[] = doc.spec.classifications.lowImpact;
  // A permission users may consent to, not yet low impact, that the portal does not rate high risk.
  const candidates = ["People.Read", "Calendars.Read", "Contacts.Read", "Tasks.Read", "Notes.Read"];
  const added = candidates.find((name) => !lowNow.some((n) => n.toLowerCase() === name.toLowerCase()) && !["High", "Critical"].includes(riskOf(GRAPH_API, "delegated", name)))!;
  doc.spec.userConsent = { policy: "none" };
  doc.spec.classifications = { lowImpact: [...lowNow, added] };
  doc.spec.adminConsentWorkflow = { enabled: true, reviewers: [{ type: "user", id: ALEX.id }], notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 14 };
  doc.spec.baselines = [
    ...(doc.spec.baselines ?? []),
    { appId: EXPENSES, displayName: "Contoso Expenses", verifiedPublisher: null, permissions: [{ resourceAppId: GRAPH_API, resourceName: "Microsoft Graph", consentType: "AllPrincipals", value: "User.Read" }] },
  ];

  await page.getByLabel("Upload a file").setInputFiles({ name: "consent-settings.yaml", mimeType: "application/yaml", buffer: Buffer.from(stringify(doc)) });
  await expect(page.getByText("Read consent-settings.yaml.")).toBeVisible();
  await page.getByRole("button", { name: "Compare with the tenant" }).click();
  await expect(page.getByTestId("diff-summary")).toContainText("would change 4 sections");
  await expect(page.getByTestId("diff-userConsent")).toContainText("User consent: Verified publishers, low-impact permissions → Do not allow user consent");
  await expect(page.getByTestId("diff-classifications")).toContainText(`Classifications: + ${added}`);
  await expect(page.getByTestId("diff-adminConsentWorkflow")).toContainText("requests expire after");
  await expect(page.getByTestId("diff-baselines")).toContainText("Baseline of Contoso Expenses (new): + User.Read (all users)");
  await expect(page.getByTestId("diff-groupOwnerConsent")).toContainText("Same as the tenant");
  await docsScreenshot(page, "settings-document-diff");

  await page.getByRole("button", { name: "Continue to confirm" }).click();
  await page.getByLabel("Justification").fill(WHY);
  await page.getByRole("button", { name: "Apply the document" }).click();
  await expect(page.getByTestId("result-message")).toBeVisible({ timeout: 30_000 });
  for (const section of ["userConsent", "adminConsentWorkflow", "classifications", "baselines"]) await expect(page.getByTestId(`result-${section}`)).toContainText("Applied");
  await expect(page.getByTestId("result-groupOwnerConsent")).toContainText("Already so");
  await expect(page.getByTestId("result-userConsent").getByTestId("step-results")).toContainText("User consent settings");

  // The tenant, through Graph.
  const token = await reader();
  const policy = await graphGet<{ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[] } }>(token, "/policies/authorizationPolicy");
  expect(policy.defaultUserRolePermissions.permissionGrantPoliciesAssigned.filter((e) => e.toLowerCase().startsWith("managepermissiongrantsforself."))).toEqual([]);
  const workflow = await graphGet<{ isEnabled: boolean; requestDurationInDays: number; notifyReviewers: boolean; remindersEnabled: boolean; reviewers: { query: string }[] }>(token, "/policies/adminConsentRequestPolicy");
  expect(workflow).toMatchObject({ isEnabled: true, requestDurationInDays: 14, notifyReviewers: true, remindersEnabled: false });
  expect(workflow.reviewers.map((r) => r.query)).toContain(`/users/${ALEX.id}`);
  const classified = await graphGet<{ value: { permissionName: string; classification: string }[] }>(token, `${GRAPH_SP}/delegatedPermissionClassifications`);
  expect(classified.value.map((c) => c.permissionName)).toContain(added);

  // Exported again, the tenant is the document.
  const again = parse(await download(page, "Download YAML")) as Doc;
  expect(again.spec.userConsent).toEqual({ policy: "none" });
  expect(again.spec.classifications.lowImpact).toContain(added);
  expect(again.spec.baselines.find((b: { appId: string }) => b.appId === EXPENSES)).toMatchObject({ displayName: "Contoso Expenses", approvedBy: ALEX.userPrincipalName });

  // Every change in the audit trail with the admin's justification.
  const rows = await queryTestDatabase<{ action: string; outcome: string }>(`SELECT action, outcome FROM "AuditEvent" WHERE justification = $1 ORDER BY seq`, [WHY]);
  const succeeded = rows.filter((r) => r.outcome === "succeeded").map((r) => r.action);
  expect(succeeded.sort()).toEqual(["baseline.settings-document", "policy.classification.add", "policy.consentWorkflow.update", "policy.userConsent.update"]);
});
