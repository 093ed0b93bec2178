import { describe, expect, it } from "vitest";
import { appStatus, notCoveredTenantWide, type StatusFacts } from "./status";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const LEGACY = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";

const published = [
  { value: "User.Read", adminOnly: false, lowImpact: true },
  { value: "openid", adminOnly: false, lowImpact: true },
  { value: "Mail.Send", adminOnly: false, lowImpact: false },
  { value: "Directory.Read.All", adminOnly: true, lowImpact: false },
  { value: "Files.Read.All", adminOnly: false, lowImpact: true },
  { value: "Sites.ReadWrite.All", adminOnly: false, lowImpact: true },
];

function facts(overrides: Partial<StatusFacts> = {}): StatusFacts {
  return {
    appName: "Nylas",
    verifiedPublisher: true,
    ownTenantApp: false,
    requested: [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read", "Mail.Send"], appRoles: [] }],
    servicePrincipal: null,
    tenantWide: [],
    mine: [],
    appRolesGranted: [],
    assigned: false,
    userConsentPolicies: [LOW, TEAM],
    publishedScopes: { [GRAPH]: published },
    ...overrides,
  };
}

const sp = { accountEnabled: true, appRoleAssignmentRequired: false };

describe("appStatus", () => {
  it("needs an admin for a permission not classified low impact, naming it and why", () => {
    const status = appStatus(facts());
    expect(status.kind).toBe("needs-admin");
    expect(status.canRequest).toBe(true);
    expect(status.missing).toEqual([{ resourceAppId: GRAPH, kind: "delegated", value: "Mail.Send", why: expect.stringContaining("low impact") }]);
    // The request covers everything not granted for everyone, so approval makes it "approved for everyone".
    expect(status.toRequest.map((p) => p.value)).toEqual(["openid", "User.Read", "Mail.Send"]);
  });

  it("is approved for everyone when the tenant-wide grant covers every permission (case-insensitive)", () => {
    const status = appStatus(facts({ servicePrincipal: sp, tenantWide: [{ resourceAppId: GRAPH, scopes: ["OPENID", "user.read", "Mail.Send", "Extra.Scope"] }] }));
    expect(status.kind).toBe("approved-everyone");
    expect(status.missing).toEqual([]);
  });

  it("is approved for you when your own consent fills what the tenant-wide grant lacks", () => {
    const status = appStatus(facts({ servicePrincipal: sp, tenantWide: [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read"] }], mine: [{ resourceAppId: GRAPH, scopes: ["Mail.Send"] }] }));
    expect(status.kind).toBe("approved-you");
  });

  it("a partial tenant-wide grant is not approval for everyone", () => {
    const status = appStatus(facts({ servicePrincipal: sp, tenantWide: [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read"] }] }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing.map((m) => m.value)).toEqual(["Mail.Send"]);
  });

  it("lets you consent yourself when every missing permission is low impact from a verified publisher", () => {
    const status = appStatus(facts({ requested: [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read"], appRoles: [] }] }));
    expect(status.kind).toBe("self-consent");
    expect(status.canRequest).toBe(false);
  });

  it("an unverified publisher needs an admin under the low-impact policy", () => {
    const status = appStatus(facts({ verifiedPublisher: false, requested: [{ resourceAppId: GRAPH, scopes: ["User.Read"], appRoles: [] }] }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing[0]!.why).toContain("not verified");
  });

  it("the legacy policy allows any permission that needs no admin, but never admin-only ones", () => {
    expect(appStatus(facts({ userConsentPolicies: [LEGACY] })).kind).toBe("self-consent");
    const status = appStatus(facts({ userConsentPolicies: [LEGACY], requested: [{ resourceAppId: GRAPH, scopes: ["User.Read", "Directory.Read.All"], appRoles: [] }] }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing).toEqual([expect.objectContaining({ value: "Directory.Read.All", why: "Only an admin can consent to this permission." })]);
  });

  it("user consent off: everything not granted needs an admin", () => {
    const status = appStatus(facts({ userConsentPolicies: [TEAM], requested: [{ resourceAppId: GRAPH, scopes: ["User.Read"], appRoles: [] }] }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing[0]!.why).toBe("Your organization does not let users consent to apps.");
  });

  it("application permissions always need an admin until assigned", () => {
    const requested = [{ resourceAppId: GRAPH, scopes: ["User.Read"], appRoles: ["Directory.Read.All"] }];
    const status = appStatus(facts({ userConsentPolicies: [LEGACY], requested }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing).toEqual([expect.objectContaining({ kind: "application", value: "Directory.Read.All" })]);
    const granted = appStatus(facts({ servicePrincipal: sp, requested, tenantWide: [{ resourceAppId: GRAPH, scopes: ["User.Read"] }], appRolesGranted: [{ resourceAppId: GRAPH, value: "Directory.Read.All" }] }));
    expect(granted.kind).toBe("approved-everyone");
  });

  it("is blocked when sign-in is disabled, even with every grant in place", () => {
    const status = appStatus(facts({ servicePrincipal: { ...sp, accountEnabled: false }, tenantWide: [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read", "Mail.Send"] }] }));
    expect(status.kind).toBe("blocked");
    expect(status.canRequest).toBe(false);
  });

  it("is blocked when assignment is required and you are not assigned; assigned people get the grant's answer", () => {
    const required = { ...sp, appRoleAssignmentRequired: true };
    const tenantWide = [{ resourceAppId: GRAPH, scopes: ["openid", "User.Read", "Mail.Send"] }];
    expect(appStatus(facts({ servicePrincipal: required, tenantWide })).kind).toBe("blocked");
    expect(appStatus(facts({ servicePrincipal: required, tenantWide, assigned: true })).kind).toBe("approved-everyone");
  });

  it("assignment required rules out user consent, even for low-impact permissions", () => {
    const status = appStatus(facts({ servicePrincipal: { ...sp, appRoleAssignmentRequired: true }, assigned: true, requested: [{ resourceAppId: GRAPH, scopes: ["User.Read"], appRoles: [] }] }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing[0]!.why).toContain("requires assignment");
  });

  it("an app whose permissions are unknown is not called approved without a grant", () => {
    expect(appStatus(facts({ requested: null })).kind).toBe("needs-admin");
    expect(appStatus(facts({ requested: null })).canRequest).toBe(false);
    expect(appStatus(facts({ requested: null, servicePrincipal: sp, tenantWide: [{ resourceAppId: GRAPH, scopes: ["User.Read"] }] })).kind).toBe("approved-everyone");
  });
});

describe("notCoveredTenantWide", () => {
  const requested = [{ resourceAppId: GRAPH, scopes: ["User.Read", "Mail.Send"], appRoles: ["Mail.Read"] }];
  it("lists what the tenant-wide grant and app role assignments lack", () => {
    expect(notCoveredTenantWide(requested, [{ resourceAppId: GRAPH, scopes: ["user.read"] }], [])).toEqual([`${GRAPH}|Mail.Send`, `${GRAPH}|Mail.Read`]);
  });
  it("is empty only when everything requested is granted for everyone; per-user consents do not count", () => {
    expect(notCoveredTenantWide(requested, [{ resourceAppId: GRAPH, scopes: ["User.Read", "Mail.Send"] }], [{ resourceAppId: GRAPH, value: "Mail.Read" }])).toEqual([]);
    expect(notCoveredTenantWide(requested, [{ resourceAppId: "other", scopes: ["User.Read", "Mail.Send"] }], [{ resourceAppId: GRAPH, value: "Mail.Read" }])).toHaveLength(2);
  });
});

describe("appStatus under the Microsoft-managed user consent setting (microsoft-user-default-recommended)", () => {
  const managed = (overrides: Partial<StatusFacts>) => facts({ userConsentPolicies: [RECOMMENDED, TEAM], ...overrides });
  const asks = (scopes: string[]) => [{ resourceAppId: GRAPH, scopes, appRoles: [] }];

  it("lets the person consent to low-impact permissions of a verified publisher's app", () => {
    expect(appStatus(managed({ requested: asks(["openid", "User.Read"]) })).kind).toBe("self-consent");
    // the admin center's lower-case spelling of the prefix is the same setting
    expect(appStatus(managed({ userConsentPolicies: ["managePermissionGrantsForSelf.microsoft-user-default-recommended"], requested: asks(["User.Read"]) })).kind).toBe("self-consent");
  });

  it("MC1097272: a third-party app's Files/Sites permissions need an admin even when classified low impact", () => {
    const status = appStatus(managed({ requested: asks(["User.Read", "Files.Read.All", "Sites.ReadWrite.All"]) }));
    expect(status.kind).toBe("needs-admin");
    expect(status.missing.map((m) => m.value)).toEqual(["Files.Read.All", "Sites.ReadWrite.All"]);
    expect(status.missing[0]!.why).toContain("Microsoft requires an admin");
    // the low setting, which the tenant manages itself, has no such rule
    expect(appStatus(facts({ requested: asks(["User.Read", "Files.Read.All"]) })).kind).toBe("self-consent");
  });

  it("keeps Files/Sites consentable for the organization's own apps, verified or not", () => {
    expect(appStatus(managed({ ownTenantApp: true, verifiedPublisher: false, requested: asks(["User.Read", "Files.Read.All"]) })).kind).toBe("self-consent");
  });

  it("still needs an admin for an unverified third party or a permission not classified low", () => {
    expect(appStatus(managed({ verifiedPublisher: false, requested: asks(["User.Read"]) })).kind).toBe("needs-admin");
    expect(appStatus(managed({ requested: asks(["Mail.Send"]) })).kind).toBe("needs-admin");
  });
});
