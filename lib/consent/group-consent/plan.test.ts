import { describe, expect, it } from "vitest";
import { OWNED_RESOURCE_PREFIX, planUserConsent } from "../user-consent/plan";
import { GROUP_CONSENT_SUCCESSOR, GROUP_CONSENT_TEMPLATE_ID, GROUP_CONSENT_UNAVAILABLE, planGroupConsent, readGroupConsent, type DirectorySetting } from "./plan";

const SALES = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const setting: DirectorySetting = {
  id: "a1f6b0b2-3c4d-4e5f-8a9b-7c6d5e4f3a2b",
  templateId: GROUP_CONSENT_TEMPLATE_ID,
  values: [
    { name: "EnableGroupSpecificConsent", value: "false" },
    { name: "BlockUserConsentForRiskyApps", value: "true" },
    { name: "EnableAdminConsentRequests", value: "false" },
    { name: "ConstrainGroupSpecificConsentToMembersOfGroupId", value: "" },
  ],
};
const names = new Map([[SALES, "Sales"]]);

describe("group-owner consent", () => {
  it("reads the setting, the template alone, or its absence (newer tenants)", () => {
    expect(readGroupConsent([setting], false)).toMatchObject({ kind: "present", current: { mode: "off" } });
    expect(readGroupConsent([], true)).toMatchObject({ kind: "template-only", current: { mode: "off" } });
    expect(readGroupConsent([], false)).toEqual({ kind: "unavailable" });
  });

  it("says plainly that a newer tenant has no setting, and plans nothing", () => {
    expect(planGroupConsent({ kind: "unavailable" }, { mode: "all", groupId: null }, names)).toEqual({ kind: "refused", reason: GROUP_CONSENT_UNAVAILABLE });
  });

  it("explains the retirement (MC712143) and points to Teams resource-specific consent, which the user consent wizard keeps", () => {
    expect(GROUP_CONSENT_UNAVAILABLE).toMatch(/^This tenant does not have the group-owner consent setting\. Microsoft is retiring group-owner consent \(message center MC712143\)/);
    expect(GROUP_CONSENT_SUCCESSOR).toContain("Teams resource-specific consent");
    expect(GROUP_CONSENT_SUCCESSOR).toContain("microsoft-dynamically-managed-permissions-for-team");
    expect(GROUP_CONSENT_SUCCESSOR).toContain("user consent wizard leaves those entries exactly as they are");
    // The wizard really does keep those entries: changing the user setting carries them over.
    const team = `${OWNED_RESOURCE_PREFIX}microsoft-dynamically-managed-permissions-for-team`;
    const plan = planUserConsent([team, "ManagePermissionGrantsForSelf.microsoft-user-default-legacy"], "none");
    expect(plan).toMatchObject({ changed: true, after: [team], kept: [team] });
  });

  it("plans a PATCH that keeps the other values", () => {
    const plan = planGroupConsent(readGroupConsent([setting], true), { mode: "group", groupId: SALES }, names);
    if (plan.kind !== "change") throw new Error("expected a change");
    expect(plan.method).toBe("PATCH");
    expect(plan.values).toEqual([
      { name: "EnableGroupSpecificConsent", value: "true" },
      { name: "BlockUserConsentForRiskyApps", value: "true" },
      { name: "EnableAdminConsentRequests", value: "false" },
      { name: "ConstrainGroupSpecificConsentToMembersOfGroupId", value: SALES },
    ]);
    expect(plan.beforeWords).toBe("Group owners cannot consent to apps accessing their groups' data.");
    expect(plan.afterWords).toContain("members of the group “Sales”");
    expect(plan.changed).toBe(true);
  });

  it("plans a POST when only the template exists, and needs a group for 'selected owners'", () => {
    const plan = planGroupConsent(readGroupConsent([], true), { mode: "all", groupId: null }, names);
    expect(plan).toMatchObject({ kind: "change", method: "POST", settingId: null, changed: true });
    expect(planGroupConsent(readGroupConsent([setting], true), { mode: "group", groupId: null }, names).kind).toBe("refused");
    const same = planGroupConsent(readGroupConsent([setting], true), { mode: "off", groupId: null }, names);
    expect(same).toMatchObject({ changed: false });
  });
});
