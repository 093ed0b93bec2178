import { describe, expect, it } from "vitest";
import { adminConsentRefusal, appsAskingFor, classifiableScopes, classificationReach, highRiskAckRefusal, OKTA_OFFICE365_MAIL_SET, planClassifications, type DelegatedScope } from "./plan";

const scopes: DelegatedScope[] = [
  { id: "024d486e-b451-40bb-833d-3e66d98c5c73", value: "Mail.ReadWrite", type: "User" },
  { id: "5df07973-7d5d-46ed-9847-1271055cbd51", value: "Mail.ReadWrite.Shared", type: "User" },
  { id: "e383f46e-2787-4529-855e-0e479a3ffac0", value: "Mail.Send", type: "User" },
  { id: "a367ab51-6b49-43bf-a716-a1fb06d2a174", value: "Mail.Send.Shared", type: "User" },
  { id: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", value: "offline_access", type: "User" },
  { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", value: "User.Read", type: "User" },
  { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", value: "Directory.Read.All", type: "Admin" },
];
const userRead = { id: "c1", permissionId: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", permissionName: "User.Read", classification: "low" };

describe("planClassifications", () => {
  it("adds the whole Okta Office 365 Mail set, skipping what is already low", () => {
    const current = [{ id: "c2", permissionId: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", permissionName: "offline_access", classification: "low" }];
    const plan = planClassifications(current, scopes, { add: [...OKTA_OFFICE365_MAIL_SET], remove: [] });
    expect(plan.toAdd.map((a) => a.permissionName)).toEqual(["Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared"]);
    expect(plan.toAdd[0]?.permissionId).toBe("024d486e-b451-40bb-833d-3e66d98c5c73");
    expect(plan.unchanged).toEqual([{ permission: "offline_access", reason: "already classified low impact" }]);
    expect(plan.refused).toEqual([]);
    expect(plan.afterWords[0]).toContain("Classified low impact (5)");
  });

  it("refuses permissions that require admin consent with Graph's reason, and unknown ones", () => {
    const plan = planClassifications([], scopes, { add: ["directory.read.all", "Nope.Nothing"], remove: [] });
    expect(plan.toAdd).toEqual([]);
    expect(plan.refused).toEqual([
      { permission: "Directory.Read.All", reason: adminConsentRefusal("Directory.Read.All") },
      { permission: "Nope.Nothing", reason: "'Nope.Nothing' is not a delegated permission of Microsoft Graph." },
    ]);
    expect(plan.changed).toBe(false);
  });

  it("removes by name and ignores names that are not classified", () => {
    const plan = planClassifications([userRead], scopes, { add: [], remove: ["User.Read", "Mail.Send"] });
    expect(plan.toRemove).toEqual([{ id: "c1", permissionId: userRead.permissionId, permissionName: "User.Read" }]);
    expect(plan.unchanged).toEqual([{ permission: "Mail.Send", reason: "not classified, nothing to remove" }]);
    expect(plan.beforeWords[0]).toContain("User.Read");
    expect(plan.afterWords[0]).toContain("No Microsoft Graph permission is classified");
  });

  it("offers only permissions users can consent to", () => {
    expect(classifiableScopes(scopes).map((s) => s.value)).not.toContain("Directory.Read.All");
  });
});

describe("high-risk classifications", () => {
  it("flags the Okta set's high-risk permissions, and nothing when only removing", () => {
    const plan = planClassifications([], scopes, { add: [...OKTA_OFFICE365_MAIL_SET], remove: [] });
    expect(plan.highRisk).toEqual([
      { permissionName: "Mail.ReadWrite", risk: "High" },
      { permissionName: "Mail.Send", risk: "High" },
    ]);
    expect(highRiskAckRefusal(plan)).toContain("every user grant them to every app from a verified publisher");
    expect(planClassifications([userRead], scopes, { add: [], remove: ["User.Read"] }).highRisk).toEqual([]);
  });

  it("says how far a classification reaches under the user consent setting", () => {
    expect(classificationReach(["ManagePermissionGrantsForSelf.microsoft-user-default-low"])).toBe("now");
    expect(classificationReach(["managePermissionGrantsForSelf.microsoft-user-default-recommended"])).toBe("now");
    expect(classificationReach(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])).toBe("all-apps");
    expect(classificationReach(["ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team"])).toBe("off");
    expect(classificationReach(["ManagePermissionGrantsForSelf.contoso-custom"])).toBe("custom");
  });

  it("lists the known apps asking for them, verified publishers first, with whether they are in the tenant", () => {
    const GRAPH = "00000003-0000-0000-c000-000000000000";
    const apps = [
      { appId: "a-outreach", displayName: "Outreach", publisher: null, verifiedPublisher: false, permissions: [{ resourceAppId: GRAPH, scopes: ["Mail.Send", "User.Read"] }] },
      { appId: "a-okta", displayName: "Okta Mail", publisher: "Okta, Inc.", verifiedPublisher: true, permissions: [{ resourceAppId: GRAPH, scopes: ["Mail.ReadWrite", "Mail.Send"] }] },
      { appId: "a-sign", displayName: "Litware Sign", publisher: "Litware", verifiedPublisher: true, permissions: [{ resourceAppId: GRAPH, scopes: ["User.Read"] }] },
    ];
    expect(appsAskingFor(["mail.send", "Mail.ReadWrite"], apps, new Set(["a-okta"]))).toEqual([
      { appId: "a-okta", displayName: "Okta Mail", publisher: "Okta, Inc.", verifiedPublisher: true, inTenant: true, scopes: ["Mail.ReadWrite", "Mail.Send"] },
      { appId: "a-outreach", displayName: "Outreach", publisher: null, verifiedPublisher: false, inTenant: false, scopes: ["Mail.Send"] },
    ]);
  });
});
