import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadTenantFromFixtures } from "./state/fixtures";
import type { Tenant } from "./state/tenant";
import { APPS, GRAPH_APP_ID, GRAPH_SP_ID, USERS } from "./test-helpers";

let t: Tenant;
beforeAll(() => { t = loadTenantFromFixtures(); });
beforeEach(() => { t.reset(); });

const admin = () => t.actorFor(USERS.alex.id);
const LOW_MAIL = ["Mail.ReadWrite", "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "offline_access"];

function useLowPolicy() {
  t.setUserConsentMode("low", admin());
}
function classifyLow(names: string[]) {
  for (const permissionName of names) t.addClassification(GRAPH_SP_ID, { permissionName, classification: "low" }, t.actorFor(USERS.casey.id));
}

describe("evaluateSignIn", () => {
  it("legacy policy: a user may consent to an app asking only user-consentable scopes", () => {
    t.setUserConsentMode("legacy", admin());
    const r = t.evaluateSignIn(USERS.riley.id, APPS.oktaMail);
    expect(r.kind).toBe("consent-prompt");
    if (r.kind === "consent-prompt") expect(r.canConsentForOrganization).toBe(false);
  });

  it("admin-only scopes always need admin approval (AADSTS90094)", () => {
    const r = t.evaluateSignIn(USERS.riley.id, APPS.oktaAdmin);
    expect(r).toMatchObject({ kind: "need-admin-approval", code: "AADSTS90094" });
  });

  it("low policy: unclassified mail scopes need approval; after classifying the article's five, users may consent", () => {
    useLowPolicy();
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail).kind).toBe("need-admin-approval");
    classifyLow(LOW_MAIL);
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail).kind).toBe("consent-prompt");
  });

  it("low policy: an unverified publisher still needs approval even with every scope classified", () => {
    useLowPolicy();
    classifyLow(["Mail.ReadWrite", "Mail.Send", "offline_access", "Calendars.ReadWrite"]);
    // Outreach (unverified) also asks EWS on Exchange, which is unclassified; drop it to isolate the publisher rule
    const graphOnly = [{ resourceAppId: GRAPH_APP_ID, scopes: ["User.Read", "Mail.ReadWrite", "Mail.Send"] }];
    expect(t.evaluateSignIn(USERS.riley.id, APPS.outreach, graphOnly).kind).toBe("need-admin-approval");
    expect(t.evaluateSignIn(USERS.riley.id, APPS.nylas, graphOnly).kind).toBe("consent-prompt");
  });

  it("user consent off + workflow on: approval required (AADSTS90095), remembering an existing request", () => {
    t.setUserConsentMode("none", admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail).kind).toBe("need-admin-approval");
    t.setAdminConsentRequestPolicy({ isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 30,
      reviewers: [{ query: `/users/${USERS.casey.id}`, queryType: "MicrosoftGraph", queryRoot: null }] }, admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail)).toMatchObject({ kind: "approval-required", code: "AADSTS90095", existingRequestId: null });
    const { appConsentRequest, created } = t.createConsentRequest(USERS.riley.id, APPS.oktaMail, "mail automation");
    expect(created).toBe(true);
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail)).toMatchObject({ existingRequestId: appConsentRequest.id });
    expect(t.createConsentRequest(USERS.riley.id, APPS.oktaMail, "again").created).toBe(false);
  });

  it("admins get a prompt that can consent for the organization", () => {
    const r = t.evaluateSignIn(USERS.casey.id, APPS.oktaAdmin);
    expect(r).toMatchObject({ kind: "consent-prompt", canConsentForOrganization: true, requiresAdminConsent: true });
  });

  it("is ok after tenant-wide consent, blocked by assignment or a disabled app", () => {
    const { servicePrincipal } = t.grantAdminConsent(APPS.oktaMail, {}, admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail).kind).toBe("ok");
    t.updateServicePrincipal(servicePrincipal.id, { appRoleAssignmentRequired: true }, admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail)).toMatchObject({ kind: "blocked", code: "AADSTS50105" });
    // assigning the Sales group lets its members in
    t.createAppRoleAssignment(servicePrincipal.id, { principalId: "fef00095-3a65-4f0e-9a67-79c33a201dc0", resourceId: servicePrincipal.id, appRoleId: "00000000-0000-0000-0000-000000000000" }, admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail).kind).toBe("ok");
    t.updateServicePrincipal(servicePrincipal.id, { accountEnabled: false }, admin());
    expect(t.evaluateSignIn(USERS.riley.id, APPS.oktaMail)).toMatchObject({ kind: "blocked", code: "AADSTS7000112" });
  });

  it("a user's own earlier consent counts, unknown apps are blocked", () => {
    t.setUserConsentMode("legacy", admin());
    t.grantUserConsent(USERS.riley.id, APPS.nylas);
    expect(t.evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("ok");
    expect(t.evaluateSignIn(USERS.jordan.id, APPS.nylas).kind).toBe("consent-prompt");
    expect(t.evaluateSignIn(USERS.riley.id, "11111111-2222-4333-8444-555555555555")).toMatchObject({ kind: "blocked", code: "AADSTS700016" });
  });
});

describe("grantAdminConsent", () => {
  it("creates the service principal and one AllPrincipals grant, and merges instead of duplicating", () => {
    const first = t.grantAdminConsent(APPS.oktaMail, { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: ["User.Read", "Mail.Send"] }] }, admin());
    expect(first.createdServicePrincipal).toBe(true);
    expect(first.grants).toMatchObject([{ action: "created", scope: "User.Read Mail.Send" }]);
    const second = t.grantAdminConsent(APPS.oktaMail, { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: ["Mail.Send", "Mail.ReadWrite"] }] }, admin());
    expect(second.createdServicePrincipal).toBe(false);
    expect(second.grants).toMatchObject([{ action: "updated", scope: "User.Read Mail.Send Mail.ReadWrite", id: first.grants[0]?.id }]);
    const third = t.grantAdminConsent(APPS.oktaMail, { delegated: [{ resourceAppId: GRAPH_APP_ID, scopes: ["mail.send"] }] }, admin());
    expect(third.grants[0]?.action).toBe("unchanged");
    expect(t.grantsOf(first.servicePrincipal.id).filter((g) => g.consentType === "AllPrincipals")).toHaveLength(1);
    const activities = t.state.directoryAudits.map((a) => a.activityDisplayName);
    expect(activities.filter((a) => a === "Consent to application").length).toBeGreaterThanOrEqual(3);
    expect(activities).toContain("Update delegated permission grant");
  });

  it("refuses a Cloud Application Administrator for Microsoft Graph app roles and changes nothing", () => {
    const before = t.state.directoryAudits.length;
    expect(() => t.grantAdminConsent(APPS.oktaAdmin, {}, t.actorFor(USERS.casey.id))).toThrowError(/Insufficient privileges/);
    expect(t.servicePrincipalByAppId(APPS.oktaAdmin)).toBeUndefined();
    expect(t.state.directoryAudits.length).toBe(before);
    const ok = t.grantAdminConsent(APPS.oktaAdmin, {}, t.actorFor(USERS.priya.id));
    expect(ok.appRoleAssignments.map((a) => a.value).sort()).toEqual(["Directory.Read.All", "Group.ReadWrite.All", "User.ReadWrite.All"]);
    expect(t.grantAdminConsent(APPS.oktaAdmin, {}, t.actorFor(USERS.priya.id)).appRoleAssignments.every((a) => a.action === "existing")).toBe(true);
  });

  it("refuses regular users and completes the app's pending Entra requests", () => {
    expect(() => t.grantAdminConsent(APPS.nylas, {}, t.actorFor(USERS.riley.id))).toThrowError(/Insufficient privileges/);
    const r = t.grantAdminConsent(APPS.nylas, {}, admin());
    expect(r.completedRequestIds).toEqual(["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"]);
  });
});

describe("snapshot / restore / reset", () => {
  it("restores an earlier state exactly and reset returns to the fixtures", () => {
    const snap = t.snapshot();
    t.grantAdminConsent(APPS.nylas, {}, admin());
    expect(t.servicePrincipalByAppId(APPS.nylas)).toBeDefined();
    t.restore(snap);
    expect(t.servicePrincipalByAppId(APPS.nylas)).toBeUndefined();
    t.grantAdminConsent(APPS.outreach, {}, admin());
    t.reset();
    expect(t.servicePrincipalByAppId(APPS.outreach)).toBeUndefined();
    expect(t.state.servicePrincipals.size).toBe(5);
  });
});
