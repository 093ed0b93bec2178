import { afterEach, describe, expect, it } from "vitest";
import { startSim, type Sim } from "./test-helpers";

/**
 * Group-owner consent is being retired (Microsoft 365 message center MC712143) in favour of Teams
 * resource-specific consent; the beta directory setting made from template dffd5d46-… ("Consent Policy
 * Settings", Microsoft Learn "Configure group owner consent to apps accessing group data") exists only
 * in older tenants. The simulator presents each kind of tenant the portal meets, so its wizard's three
 * states can be tested against them.
 */

const TEMPLATE = "dffd5d46-495d-40a9-8e21-954ff55e198a";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
let sims: Sim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});
async function tenant(kind: "with-setting" | "template-only" | "newer"): Promise<{ sim: Sim; token: string }> {
  const sim = await startSim({ newerTenant: kind === "newer" });
  sims.push(sim);
  if (kind === "template-only") sim.tenant.state.directorySettings = [];
  return { sim, token: await sim.token("alex") };
}
const valuesOf = (body: { values: { name: string; value: string }[] }) => Object.fromEntries(body.values.map((v) => [v.name, v.value]));

describe("group-owner consent in the kinds of tenant Entra has today (MC712143)", () => {
  it("an older tenant with the setting object: listed under beta /settings, and a second one from the template is a conflict", async () => {
    const { sim, token } = await tenant("with-setting");
    const list = await sim.call("GET", "/beta/settings", { token });
    expect(list.body.value).toHaveLength(1);
    expect(list.body.value[0].templateId).toBe(TEMPLATE);
    expect((await sim.call("GET", `/beta/directorySettingTemplates/${TEMPLATE}`, { token })).status).toBe(200);
    // a second object from the same template is a conflict, as in Graph
    expect((await sim.call("POST", "/beta/settings", { token, body: { templateId: TEMPLATE, values: [] } })).status).toBe(409);
  });

  it("an older tenant with only the template: POST creates the setting with the template's defaults for what is not sent", async () => {
    const { sim, token } = await tenant("template-only");
    expect((await sim.call("GET", "/beta/settings", { token })).body.value).toEqual([]);
    expect((await sim.call("GET", `/beta/directorySettingTemplates/${TEMPLATE}`, { token })).status).toBe(200);
    const created = await sim.call("POST", "/beta/settings", { token, body: { templateId: TEMPLATE, values: [{ name: "EnableGroupSpecificConsent", value: "true" }] } });
    expect(created.status).toBe(201);
    expect(valuesOf(created.body)).toEqual({
      EnableGroupSpecificConsent: "true", BlockUserConsentForRiskyApps: "true", EnableAdminConsentRequests: "false", ConstrainGroupSpecificConsentToMembersOfGroupId: "",
    });
  });

  it("a newer tenant: no setting, no template, creation refused — while Teams resource-specific consent stays in the user consent policy", async () => {
    const { sim, token } = await tenant("newer");
    expect((await sim.call("GET", "/beta/settings", { token })).body.value).toEqual([]);
    expect((await sim.call("GET", `/beta/directorySettingTemplates/${TEMPLATE}`, { token })).status).toBe(404);
    const refused = await sim.call("POST", "/beta/settings", { token, body: { templateId: TEMPLATE, values: [{ name: "EnableGroupSpecificConsent", value: "true" }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("not available");
    const policy = await sim.call("GET", "/v1.0/policies/authorizationPolicy", { token });
    expect(policy.body.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toContain(TEAM);
  });
});
