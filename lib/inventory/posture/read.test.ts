import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphClient } from "@/lib/graph/client";
import { listDirectorySettings, updateDirectorySetting, writeAdminConsentRequestPolicy, writeUserConsentPolicies } from "@/lib/graph/policies";
import { classifyPermission } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { startHttpsSim, USERS, type Sim, type UserKey } from "@/sim/graph/test-helpers";
import { checkPosture } from "./checks";
import { readConsentSettings } from "./read";

// The tenant's consent settings read over https from the simulated Graph, as the signed-in person, and
// judged against each baseline: what the posture page shows is what the tenant holds.

const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";
const MAIL_SEND_ID = "e383f46e-2787-4529-855e-0e479a3ffac0";

let sim: Sim;
let newer: Sim;
beforeAll(async () => {
  [sim, newer] = await Promise.all([startHttpsSim(), startHttpsSim({ newerTenant: true })]);
});
afterAll(async () => {
  await Promise.all([sim.close(), newer.close()]);
});
beforeEach(() => {
  sim.tenant.reset();
  newer.tenant.reset();
});

const graph = (user: UserKey = "alex", on: Sim = sim) => createGraphClient({ baseUrl: on.baseUrl, getAccessToken: () => on.token(user) }).client;
const statuses = async (on: Sim = sim, user: UserKey = "alex") => {
  const settings = await readConsentSettings(graph(user, on));
  return Object.fromEntries((["eidsca", "scuba", "microsoft-managed"] as const).flatMap((b) => checkPosture(settings, b).map((c) => [c.id, c.status])));
};

describe("readConsentSettings", () => {
  it("reads the seeded tenant's settings", async () => {
    const settings = await readConsentSettings(graph());
    expect(settings.userConsentPolicies).toEqual({ ok: true, value: [LOW, TEAM, CHAT] });
    expect(settings.allowUserConsentForRiskyApps).toEqual({ ok: true, value: false });
    expect(settings.usersCanRegisterApps).toEqual({ ok: true, value: true });
    expect(settings.adminConsentWorkflow).toEqual({ ok: true, value: { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, reviewers: [] } });
    expect(settings.consentDirectorySetting.ok && settings.consentDirectorySetting.value).toMatchObject({ kind: "present", current: { mode: "off", groupId: null } });
    expect(settings.lowClassifiedPermissions.ok && settings.lowClassifiedPermissions.value.map((c) => c.permissionName).sort()).toEqual(["User.Read", "email", "openid", "profile"]);
  });

  it("judges the seeded tenant against each baseline", async () => {
    expect(await statuses()).toEqual({
      "EIDSCA.AP08": "pass",
      "EIDSCA.AP09": "pass",
      "EIDSCA.CR01": "fail",
      "EIDSCA.CR02": "unknown",
      "EIDSCA.CR03": "unknown",
      "EIDSCA.CR04": "unknown",
      "MS.AAD.5.1v1": "fail",
      "MS.AAD.5.2v1": "pass",
      "MS.AAD.5.3v1": "fail",
      "Microsoft.UserConsent": "fail",
      "Microsoft.RiskBasedStepUp": "pass",
      "Microsoft.GroupOwnerConsent": "pass",
    });
  });

  it("follows changes made through Graph: workflow on, Microsoft-managed consent, a risky permission classified low, group-owner consent on", async () => {
    const client = graph();
    await writeAdminConsentRequestPolicy(client, {
      isEnabled: true,
      notifyReviewers: true,
      remindersEnabled: true,
      requestDurationInDays: 14,
      reviewers: [{ query: `/users/${USERS.priya.id}`, queryType: "MicrosoftGraph", queryRoot: null }],
    });
    await classifyPermission(client, MICROSOFT_GRAPH_APP_ID, { permissionId: MAIL_SEND_ID, permissionName: "Mail.Send" });
    const setting = (await listDirectorySettings(client))[0]!;
    await updateDirectorySetting(client, setting.id!, (setting.values ?? []).map((v) => ({ name: v.name!, value: v.name === "EnableGroupSpecificConsent" ? "true" : v.value! })));

    const settings = await readConsentSettings(client);
    const scuba = checkPosture(settings, "scuba");
    expect(scuba.find((c) => c.id === "MS.AAD.5.2v1")).toMatchObject({ status: "fail", fixHref: "/admin/policies/classifications?step=preview&remove=Mail.Send" });
    expect(scuba.find((c) => c.id === "MS.AAD.5.3v1")).toMatchObject({ status: "pass", actual: expect.stringContaining("on with 1 reviewer") });
    const cr01 = checkPosture(settings, "eidsca").find((c) => c.id === "EIDSCA.CR01")!;
    expect(new URL(cr01.fixHref, "https://p").searchParams.getAll("reviewer")).toEqual([`user:${USERS.priya.id}`]);

    await writeUserConsentPolicies(client, [RECOMMENDED, TEAM, CHAT]);
    expect(await statuses()).toMatchObject({
      "EIDSCA.AP08": "fail",
      "EIDSCA.CR01": "pass",
      "EIDSCA.CR02": "pass",
      "EIDSCA.CR03": "pass",
      "EIDSCA.CR04": "pass",
      "MS.AAD.5.2v1": "fail",
      "Microsoft.UserConsent": "pass",
      "Microsoft.GroupOwnerConsent": "fail",
    });
  });

  it("on a newer tenant without the consent directory setting, group-owner consent cannot be on", async () => {
    const settings = await readConsentSettings(graph("alex", newer));
    expect(settings.consentDirectorySetting).toEqual({ ok: true, value: { kind: "unavailable" } });
    expect((await statuses(newer))["Microsoft.GroupOwnerConsent"]).toBe("pass");
  });

  it("a part the signed-in person may not read makes only its checks unknown", async () => {
    // Riley holds no directory role: Graph lets any member read the authorization policy, not the workflow.
    const settings = await readConsentSettings(graph("riley"));
    expect(settings.userConsentPolicies.ok).toBe(true);
    expect(settings.adminConsentWorkflow).toMatchObject({ ok: false, reason: expect.stringMatching(/^Microsoft Graph answered 403 .*the admin consent workflow: your Entra role may not read it\.$/) });
    const s = await statuses(sim, "riley");
    expect(s["EIDSCA.AP08"]).toBe("pass");
    expect([s["EIDSCA.CR01"], s["MS.AAD.5.3v1"]]).toEqual(["unknown", "unknown"]);
  });
});
