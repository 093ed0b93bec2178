import { describe, expect, it } from "vitest";
import { couldConsentAgain, type ConsentAgainFacts } from "./could-consent-again";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const OKTA = ["openid", "profile", "email", "User.Read", "offline_access", "Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared"];
const published = (low: string[]) => ({ [GRAPH]: [...OKTA, "Directory.Read.All"].map((value) => ({ value, adminOnly: value === "Directory.Read.All", lowImpact: low.includes(value) })) });

const okta: ConsentAgainFacts = {
  appName: "Office 365 Mail for Okta Workflows",
  verifiedPublisher: true,
  ownTenantApp: false,
  requested: [{ resourceAppId: GRAPH, scopes: OKTA }],
  userConsentPolicies: [LOW],
  publishedScopes: published(OKTA),
};

describe("couldConsentAgain", () => {
  it("says yes when the setting admits verified publishers' low-impact permissions and everything Okta asks for is low impact", () => {
    const result = couldConsentAgain(okta);
    expect(result.possible).toBe(true);
    expect(result.scopes).toEqual(OKTA);
    expect(result.reason).toContain("its publisher is verified");
    expect(result.reason).toContain("Mail.Send");
  });

  it("says no, naming the first permission that keeps users out, when one is not low impact", () => {
    const result = couldConsentAgain({ ...okta, publishedScopes: published(["openid", "profile", "email", "User.Read"]) });
    expect(result.possible).toBe(false);
    expect(result.reason).toMatch(/^offline_access: .*low impact/);
  });

  it("says no for an unverified publisher, and when user consent is off", () => {
    expect(couldConsentAgain({ ...okta, verifiedPublisher: false }).reason).toContain("not verified");
    expect(couldConsentAgain({ ...okta, userConsentPolicies: [] })).toMatchObject({ possible: false });
  });

  it("says yes under 'all apps' (legacy) whatever the classification, and no for an admin-only permission", () => {
    const legacy = { ...okta, verifiedPublisher: false, userConsentPolicies: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"], publishedScopes: published([]) };
    expect(couldConsentAgain(legacy).possible).toBe(true);
    expect(couldConsentAgain({ ...legacy, requested: [{ resourceAppId: GRAPH, scopes: ["Directory.Read.All"] }] }).possible).toBe(false);
  });

  it("says no when the app asks for no delegated permission", () => {
    expect(couldConsentAgain({ ...okta, requested: [{ resourceAppId: GRAPH, scopes: [] }] }).possible).toBe(false);
  });
});
