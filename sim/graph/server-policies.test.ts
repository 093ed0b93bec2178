import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APPS, startSim, USERS, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const LEGACY = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";

describe("authorizationPolicy", () => {
  it("reads the user consent setting (verified publishers, low impact) and lets a Privileged Role Administrator change it", async () => {
    const get = await sim.call("GET", "/v1.0/policies/authorizationPolicy", { token: await sim.token("riley", { scp: "Policy.Read.All" }) });
    expect(get.status).toBe(200);
    expect(get.body.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual([LOW, TEAM, CHAT]);
    const body = { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [LEGACY, TEAM, CHAT] } };
    expect((await sim.call("PATCH", "/v1.0/policies/authorizationPolicy", { token: await sim.token("casey"), body })).status).toBe(403);
    expect((await sim.call("PATCH", "/v1.0/policies/authorizationPolicy", { token: await sim.token("priya"), body })).status).toBe(204);
    expect(sim.tenant.state.authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual([LEGACY, TEAM, CHAT]);
    const audit = sim.tenant.state.directoryAudits.at(-1);
    expect(audit?.activityDisplayName).toBe("Update authorization policy");
    expect(audit?.initiatedBy.user?.id).toBe(USERS.priya.id);
  });

  it("refuses an unknown policy id", async () => {
    const body = { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.no-such-policy"] } };
    expect((await sim.call("PATCH", "/v1.0/policies/authorizationPolicy", { token: await sim.token("alex"), body })).status).toBe(400);
  });
});

describe("adminConsentRequestPolicy", () => {
  const valid = {
    isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14,
    reviewers: [
      { query: `/users/${USERS.casey.id}`, queryType: "MicrosoftGraph", queryRoot: null },
      { query: "/groups/c7a9bd0e-f691-4127-a018-e4bd15b5b1f5/transitiveMembers/microsoft.graph.user", queryType: "MicrosoftGraph", queryRoot: null },
    ],
  };

  it("PUT replaces the policy (204) and validates duration and reviewers", async () => {
    const token = await sim.token("casey");
    expect((await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", { token, body: valid })).status).toBe(204);
    const get = await sim.call("GET", "/v1.0/policies/adminConsentRequestPolicy", { token });
    expect(get.body).toMatchObject({ isEnabled: true, requestDurationInDays: 14, version: 1 });
    expect(get.body.reviewers).toHaveLength(2);
    for (const requestDurationInDays of [0, 31]) {
      expect((await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", { token, body: { ...valid, requestDurationInDays } })).status).toBe(400);
    }
    const badType = { ...valid, reviewers: [{ query: `/users/${USERS.casey.id}`, queryType: "Other", queryRoot: null }] };
    expect((await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", { token, body: badType })).status).toBe(400);
    expect((await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", { token: await sim.token("sam"), body: valid })).status).toBe(403);
  });

  it("resolves reviewers through users, nested groups and roles", async () => {
    await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", { token: await sim.token("alex"), body: {
      ...valid, reviewers: [...valid.reviewers, { query: "/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'", queryType: "MicrosoftGraph", queryRoot: null }],
    } });
    // Consent Reviewers = IT Admins (Alex, Priya, Casey) + Sam
    expect([...sim.tenant.reviewerUserIds()].sort()).toEqual([USERS.alex.id, USERS.priya.id, USERS.casey.id, USERS.sam.id].sort());
  });
});

describe("permissionGrantPolicies", () => {
  it("lists Microsoft's policies with includes and excludes", async () => {
    const token = await sim.token("riley", { scp: "Policy.Read.All" });
    const list = await sim.call("GET", "/v1.0/policies/permissionGrantPolicies?$select=id", { token });
    expect(list.body.value.map((p: { id: string }) => p.id)).toContain("microsoft-user-default-low");
    const low = await sim.call("GET", "/v1.0/policies/permissionGrantPolicies/microsoft-user-default-low", { token });
    expect(low.body.includes[0]).toMatchObject({ permissionType: "delegated", permissionClassification: "low", clientApplicationsFromVerifiedPublisherOnly: true });
    const excl = await sim.call("GET", "/v1.0/policies/permissionGrantPolicies/microsoft-application-admin/excludes", { token });
    expect(excl.body.value.map((c: { resourceApplication: string }) => c.resourceApplication)).toContain("00000003-0000-0000-c000-000000000000");
    expect((await sim.call("GET", "/v1.0/policies/permissionGrantPolicies/nope", { token })).status).toBe(404);
  });

  it("creates a custom policy with an include condition set (Privileged Role Administrator)", async () => {
    const token = await sim.token("priya");
    const p = await sim.call("POST", "/v1.0/policies/permissionGrantPolicies", { token, body: { id: "okta-mail-only", displayName: "Okta mail", description: "" } });
    expect(p.status).toBe(201);
    const inc = await sim.call("POST", "/v1.0/policies/permissionGrantPolicies/okta-mail-only/includes", { token, body: { permissionType: "delegated", clientApplicationIds: [APPS.oktaMail] } });
    expect(inc.status).toBe(201);
    expect(inc.body).toMatchObject({ permissionType: "delegated", clientApplicationIds: [APPS.oktaMail], permissions: ["all"] });
    expect((await sim.call("POST", "/v1.0/policies/permissionGrantPolicies/microsoft-user-default-low/includes", { token, body: { permissionType: "delegated" } })).status).toBe(400);
  });
});

describe("beta /settings (group consent)", () => {
  it("reads and patches the consent settings object; only Global Administrators write", async () => {
    const read = await sim.call("GET", "/beta/settings", { token: await sim.token("riley", { scp: "Directory.Read.All" }) });
    expect(read.body.value[0].templateId).toBe("dffd5d46-495d-40a9-8e21-954ff55e198a");
    const id = read.body.value[0].id;
    const body = { values: [{ name: "EnableGroupSpecificConsent", value: "true" }] };
    expect((await sim.call("PATCH", `/beta/settings/${id}`, { token: await sim.token("priya"), body })).status).toBe(403);
    expect((await sim.call("PATCH", `/beta/settings/${id}`, { token: await sim.token("alex"), body })).status).toBe(204);
    const after = await sim.call("GET", `/beta/settings/${id}`, { token: await sim.token("alex") });
    expect(after.body.values.find((v: { name: string }) => v.name === "EnableGroupSpecificConsent").value).toBe("true");
    expect((await sim.call("GET", "/v1.0/settings", { token: await sim.token("alex") })).status).toBe(400);
  });

  it("models a newer tenant where the template is unavailable", async () => {
    const newer = await startSim({ newerTenant: true });
    try {
      const token = await newer.token("alex");
      expect((await newer.call("GET", "/beta/settings", { token })).body.value).toEqual([]);
      const r = await newer.call("POST", "/beta/settings", { token, body: { templateId: "dffd5d46-495d-40a9-8e21-954ff55e198a", values: [] } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain("not available");
      expect((await newer.call("GET", "/beta/directorySettingTemplates/dffd5d46-495d-40a9-8e21-954ff55e198a", { token })).status).toBe(404);
    } finally {
      await newer.close();
    }
  });

  it("serves the template where the tenant has it, and withdraws it on request until reset", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const path = "/beta/directorySettingTemplates/dffd5d46-495d-40a9-8e21-954ff55e198a";
    const template = await sim.call("GET", path, { token });
    expect(template.status).toBe(200);
    expect(template.body.values.map((v: { name: string }) => v.name)).toContain("EnableGroupSpecificConsent");
    expect((await sim.call("GET", "/v1.0/directorySettingTemplates/dffd5d46-495d-40a9-8e21-954ff55e198a", { token })).status).toBe(400);

    expect((await sim.control("POST", "/_sim/withdraw-group-consent-template")).status).toBe(204);
    expect((await sim.call("GET", path, { token })).status).toBe(404);
    expect((await sim.call("GET", "/beta/settings", { token })).body.value).toEqual([]);

    expect((await sim.control("POST", "/_sim/reset")).status).toBe(204);
    expect((await sim.call("GET", path, { token })).status).toBe(200);
    expect((await sim.call("GET", "/beta/settings", { token })).body.value).toHaveLength(1);
  });
});
