import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import vendorApps from "../fixtures/vendor-apps.json";
import { APPS, GRAPH_APP_ID, GRAPH_SP_ID, PORTAL_APP_ID, startSim, USERS, type Sim } from "./test-helpers";

/**
 * Entra as of 2025–2026: the Microsoft-managed user consent setting (policy
 * microsoft-user-default-recommended, Microsoft Learn "Configure how users consent to applications",
 * message center MC1097272) and risk-based step-up consent (beta authorizationPolicy
 * allowUserConsentForRiskyApps, Microsoft Learn "Configure risk-based step-up consent").
 */
let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const FILES_AND_SITES = ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"];
const NYLAS_SCOPES = vendorApps.apps.find((a) => a.appId === APPS.nylas)!.requiredResourceAccess.flatMap((r) => r.scopes);

const t = () => sim.tenant;
const admin = () => t().actorFor(USERS.alex.id);
function classifyLow(names: string[]) {
  const already = new Set(t().classificationsFor(GRAPH_SP_ID).map((c) => c.permissionName));
  for (const permissionName of names.filter((n) => !already.has(n))) t().addClassification(GRAPH_SP_ID, { permissionName, classification: "low" }, t().actorFor(USERS.casey.id));
}
const asks = (scopes: string[]) => [{ resourceAppId: GRAPH_APP_ID, scopes }];

describe("Microsoft-managed user consent (microsoft-user-default-recommended)", () => {
  it("is one of the tenant's permission grant policies, listed through Graph with its conditions", async () => {
    const token = await sim.token("sam", { scp: "Policy.Read.All" });
    const policy = await sim.call("GET", "/v1.0/policies/permissionGrantPolicies/microsoft-user-default-recommended", { token });
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({ id: "microsoft-user-default-recommended", displayName: "Microsoft User Default Recommended Policy" });
    const excludes = await sim.call("GET", "/v1.0/policies/permissionGrantPolicies/microsoft-user-default-recommended/excludes", { token });
    expect(excludes.body.value).toHaveLength(1);
    expect(excludes.body.value[0]).toMatchObject({ permissionType: "delegated", resourceApplication: GRAPH_APP_ID });
    // the four delegated permission ids of MC1097272, as Microsoft Graph publishes them
    expect(excludes.body.value[0].permissions).toEqual(["df85f4d6-205c-4ac5-a5ea-6bf408dba283", "863451e7-0667-486c-a5d6-d135439485f0", "205e70e5-aba6-4c52-a976-6d2d46c48043", "89fe6a52-be36-487e-b7d8-d061c450a026"]);
  });

  it("can be assigned through PATCH authorizationPolicy, also with the lower-case prefix Entra's admin center writes", async () => {
    const token = await sim.token("priya");
    for (const entry of [RECOMMENDED, "managePermissionGrantsForSelf.microsoft-user-default-recommended"]) {
      const body = { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [entry, TEAM] } };
      expect((await sim.call("PATCH", "/v1.0/policies/authorizationPolicy", { token, body })).status).toBe(204);
      classifyLow(NYLAS_SCOPES);
      expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("consent-prompt");
      t().reset();
    }
  });

  it("lets users consent to low-impact permissions for a verified publisher's app, as the low setting does", () => {
    t().setUserConsentMode("recommended", admin());
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("need-admin-approval");
    classifyLow(NYLAS_SCOPES);
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("consent-prompt");
    // an unverified publisher still needs an admin
    expect(t().evaluateSignIn(USERS.riley.id, APPS.outreach, asks(NYLAS_SCOPES)).kind).toBe("need-admin-approval");
  });

  it.each(FILES_AND_SITES)("MC1097272: a third-party app needs admin consent for %s even where it is classified low", (scope) => {
    classifyLow([...NYLAS_SCOPES, scope]);
    t().setUserConsentMode("low", admin());
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas, asks(["User.Read", scope])).kind).toBe("consent-prompt");
    t().setUserConsentMode("recommended", admin());
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas, asks(["User.Read", scope]))).toMatchObject({ kind: "need-admin-approval", code: "AADSTS90094" });
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas, asks(["User.Read"])).kind).toBe("consent-prompt");
  });

  it("keeps Files and Sites permissions consentable for the organization's own apps", () => {
    classifyLow(["User.Read", "Files.Read.All"]);
    t().setUserConsentMode("recommended", admin());
    expect(t().evaluateSignIn(USERS.riley.id, PORTAL_APP_ID, asks(["User.Read", "Files.Read.All"])).kind).toBe("consent-prompt");
  });

  it("the try-to-sign-in page follows it", async () => {
    const { trySignIn } = await import("../issuer/consent-pages");
    t().setUserConsentMode("recommended", admin());
    classifyLow(NYLAS_SCOPES);
    const form = new URLSearchParams({ user: USERS.riley.id, app: APPS.nylas });
    const reply = trySignIn(t(), form);
    expect("html" in reply && reply.html).toContain("Permissions requested");
  });
});

describe("risk-based step-up consent (allowUserConsentForRiskyApps, beta)", () => {
  function withRiskyNylas(run: () => void | Promise<void>) {
    const app = t().findApp(APPS.nylas)!;
    app.risky = true;
    return (async () => {
      try {
        await run();
      } finally {
        app.risky = false;
      }
    })();
  }

  it("is a beta property: shown and accepted on beta, neither on v1.0", async () => {
    const token = await sim.token("priya");
    const beta = await sim.call("GET", "/beta/policies/authorizationPolicy", { token });
    expect(beta.body.allowUserConsentForRiskyApps).toBe(false);
    const v1 = await sim.call("GET", "/v1.0/policies/authorizationPolicy", { token });
    expect(v1.body).not.toHaveProperty("allowUserConsentForRiskyApps");
    expect((await sim.call("PATCH", "/v1.0/policies/authorizationPolicy", { token, body: { allowUserConsentForRiskyApps: true } })).status).toBe(400);
    expect((await sim.call("PATCH", "/beta/policies/authorizationPolicy", { token, body: { allowUserConsentForRiskyApps: true } })).status).toBe(204);
    const selected = await sim.call("GET", "/beta/policies/authorizationPolicy?$select=allowUserConsentForRiskyApps", { token });
    expect(selected.body.allowUserConsentForRiskyApps).toBe(true);
    // the same Entra setting as the consent settings' BlockUserConsentForRiskyApps
    const setting = t().state.directorySettings[0]!.values.find((v) => v.name === "BlockUserConsentForRiskyApps");
    expect(setting?.value).toBe("false");
  });

  it("sends a user who could consent to a risky app to admin approval, and the page audits 'Risky application detected'", async () => {
    await withRiskyNylas(async () => {
      t().setUserConsentMode("legacy", admin());
      expect(t().evaluateSignIn(USERS.jordan.id, APPS.nylas)).toMatchObject({ kind: "need-admin-approval", code: "AADSTS900941", riskyApp: true, reason: "Risky application detected" });

      const { trySignIn } = await import("../issuer/consent-pages");
      const reply = trySignIn(t(), new URLSearchParams({ user: USERS.jordan.id, app: APPS.nylas }));
      expect("html" in reply && reply.html).toContain("Need admin approval");
      const audit = t().state.directoryAudits.at(-1);
      expect(audit).toMatchObject({ activityDisplayName: "Consent to application", result: "failure", resultReason: "Risky application detected" });
      expect(audit?.initiatedBy.user?.id).toBe(USERS.jordan.id);

      t().setAdminConsentRequestPolicy({
        isEnabled: true, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30,
        reviewers: [{ query: `/users/${USERS.casey.id}`, queryType: "MicrosoftGraph", queryRoot: null }],
      }, admin());
      expect(t().evaluateSignIn(USERS.jordan.id, APPS.nylas)).toMatchObject({ kind: "approval-required", code: "AADSTS900981", riskyApp: true });
      const withWorkflow = trySignIn(t(), new URLSearchParams({ user: USERS.jordan.id, app: APPS.nylas }));
      expect("html" in withWorkflow && withWorkflow.html).toContain("Request approval");
    });
  });

  it("lets the user consent to the risky app once an admin allows it", async () => {
    await withRiskyNylas(() => {
      t().setUserConsentMode("legacy", admin());
      t().updateAuthorizationPolicy({ allowUserConsentForRiskyApps: true }, admin());
      expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("consent-prompt");
    });
  });

  it("does not touch apps that are not flagged risky", () => {
    t().setUserConsentMode("legacy", admin());
    expect(t().evaluateSignIn(USERS.riley.id, APPS.nylas).kind).toBe("consent-prompt");
  });
});
