import { describe, expect, it } from "vitest";
import { currentUserConsent, planUserConsent, riskyAppConsentInWords, USER_CONSENT_CHOICES, USER_CONSENT_OPTIONS, userConsentInWords } from "./plan";

const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const CHAT = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-chat";
const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const LEGACY = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
// as Entra's admin center writes it
const RECOMMENDED_PORTAL = "managePermissionGrantsForSelf.microsoft-user-default-recommended";

describe("planUserConsent", () => {
  it.each(USER_CONSENT_CHOICES)("keeps every owned-resource entry untouched when choosing %s", (choice) => {
    const plan = planUserConsent([LOW, TEAM, CHAT], choice);
    expect(plan.after.filter((e) => e.startsWith("ManagePermissionGrantsForOwnedResource."))).toEqual([TEAM, CHAT]);
    expect(plan.kept).toEqual([TEAM, CHAT]);
    expect(plan.body.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual(plan.after);
  });

  it("turns user consent off by removing only the ForSelf entries", () => {
    const plan = planUserConsent([LOW, TEAM, CHAT], "none");
    expect(plan.after).toEqual([TEAM, CHAT]);
    expect(plan.removed).toEqual([LOW]);
    expect(plan.added).toEqual([]);
    expect(plan.changed).toBe(true);
  });

  it("switches low to legacy and replaces custom ForSelf entries", () => {
    expect(planUserConsent([LOW, TEAM], "legacy").after).toEqual([LEGACY, TEAM]);
    const custom = planUserConsent(["ManagePermissionGrantsForSelf.contoso-custom", LOW, TEAM], "low");
    expect(custom.after).toEqual([LOW, TEAM]);
    expect(custom.removed).toEqual(["ManagePermissionGrantsForSelf.contoso-custom"]);
  });

  it("switches to the Microsoft-managed setting, keeping owned-resource entries", () => {
    const plan = planUserConsent([LOW, TEAM, CHAT], "recommended");
    expect(plan.after).toEqual([RECOMMENDED, TEAM, CHAT]);
    expect(plan.afterWords.join("\n")).toContain("Microsoft-managed");
  });

  it("sees the admin center's lower-case spelling as the same setting: no change, and leaving it removes it", () => {
    expect(planUserConsent([RECOMMENDED_PORTAL, TEAM], "recommended").changed).toBe(false);
    const plan = planUserConsent([RECOMMENDED_PORTAL, TEAM], "low");
    expect(plan.after).toEqual([LOW, TEAM]);
    expect(plan.removed).toEqual([RECOMMENDED_PORTAL]);
  });

  it("reports no change when the tenant already has the chosen option", () => {
    const plan = planUserConsent([LOW, TEAM, CHAT], "low");
    expect(plan.changed).toBe(false);
    expect(plan.after).toEqual([LOW, TEAM, CHAT]);
  });

  it("keeps entries it does not know", () => {
    expect(planUserConsent(["Something.else", LOW], "none").after).toEqual(["Something.else"]);
  });
});

describe("currentUserConsent and words", () => {
  it("recognizes the Microsoft-managed setting, in either spelling of the prefix, and never calls it custom", () => {
    for (const entry of [RECOMMENDED, RECOMMENDED_PORTAL]) {
      expect(currentUserConsent([entry, TEAM]).choice).toBe("recommended");
      const words = userConsentInWords([entry, TEAM]).join("\n");
      expect(words).toContain("Microsoft-managed");
      expect(words).not.toMatch(/custom/i);
      expect(words).toContain("Files.Read.All");
    }
  });

  it("explains that Microsoft decides and changes the conditions, and the Files/Sites rule for third-party apps", () => {
    const option = USER_CONSENT_OPTIONS.recommended;
    expect(option.summary).toMatch(/changes those conditions over time/);
    for (const scope of ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"]) expect(option.summary).toContain(scope);
    expect(option.summary).toMatch(/third-party apps/);
  });

  it("recognizes the four options and custom settings", () => {
    expect(currentUserConsent([TEAM]).choice).toBe("none");
    expect(currentUserConsent([LOW, TEAM]).choice).toBe("low");
    expect(currentUserConsent([LEGACY]).choice).toBe("legacy");
    expect(currentUserConsent([LOW, LEGACY]).choice).toBe("custom");
    expect(currentUserConsent([LOW, TEAM, CHAT]).ownedResourceEntries).toEqual([TEAM, CHAT]);
  });

  it("says the setting in words, owned-resource consent included", () => {
    const words = userConsentInWords([LOW, TEAM]).join("\n");
    expect(words).toContain("verified publishers");
    expect(words).toContain("Owners of a team may consent to apps for that team");
    expect(userConsentInWords([TEAM]).join("\n")).toContain("Users may not consent to apps for themselves.");
  });
});

describe("riskyAppConsentInWords", () => {
  it("says step-up consent is on unless allowUserConsentForRiskyApps is true (null is Entra's default, false)", () => {
    expect(riskyAppConsentInWords(null)).toContain("step-up consent is on");
    expect(riskyAppConsentInWords(false)).toContain("Risky application detected");
    expect(riskyAppConsentInWords(true)).toContain("step-up consent is off");
  });
});
