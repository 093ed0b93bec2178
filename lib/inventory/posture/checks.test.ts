import { describe, expect, it } from "vitest";
import { GROUP_CONSENT_DEFAULTS, GROUP_CONSENT_TEMPLATE_ID, readGroupConsent } from "@/lib/consent/group-consent/plan";
import type { WorkflowPolicy } from "@/lib/consent/consent-workflow/plan";
import { classificationChangeSchema } from "@/lib/consent/classifications/schema";
import { workflowSettingsSchema } from "@/lib/consent/consent-workflow/schema";
import { groupConsentChoiceSchema } from "@/lib/consent/group-consent/schema";
import { userConsentChoiceSchema } from "@/lib/consent/user-consent/schema";
import type { PostureBaselineId, PostureCheck } from "../types";
import { checkPosture, POSTURE_BASELINES, type ConsentSettings } from "./checks";

const LOW = "ManagePermissionGrantsForSelf.microsoft-user-default-low";
const RECOMMENDED = "ManagePermissionGrantsForSelf.microsoft-user-default-recommended";
const LEGACY = "ManagePermissionGrantsForSelf.microsoft-user-default-legacy";
const TEAM = "ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team";
const REVIEWER_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
// Microsoft Graph delegated permission ids: Mail.Send is in ScubaGear's risk table, User.Read is not.
const MAIL_SEND = { permissionId: "e383f46e-2787-4529-855e-0e479a3ffac0", permissionName: "Mail.Send" };
const USER_READ = { permissionId: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", permissionName: "User.Read" };

const ok = <T>(value: T) => ({ ok: true as const, value });
const refused = { ok: false as const, reason: "Microsoft Graph answered 403 (Authorization_RequestDenied)." };
const workflow = (w: Partial<WorkflowPolicy> = {}): WorkflowPolicy => ({
  isEnabled: true,
  notifyReviewers: true,
  remindersEnabled: true,
  requestDurationInDays: 30,
  reviewers: [{ query: `/groups/${REVIEWER_GROUP}/transitiveMembers/microsoft.graph.user`, queryType: "MicrosoftGraph", queryRoot: null }],
  ...w,
});
const directory = (values: Record<string, string> = {}) =>
  readGroupConsent([{ id: "setting-1", templateId: GROUP_CONSENT_TEMPLATE_ID, values: GROUP_CONSENT_DEFAULTS.map((v) => ({ name: v.name, value: values[v.name] ?? v.value })) }], true);

/** A tenant that passes every EIDSCA check. */
const eidscaTenant: ConsentSettings = {
  userConsentPolicies: ok([LOW, TEAM]),
  allowUserConsentForRiskyApps: ok(false),
  usersCanRegisterApps: ok(false),
  adminConsentWorkflow: ok(workflow()),
  consentDirectorySetting: ok(directory({ EnableAdminConsentRequests: "true" })),
  lowClassifiedPermissions: ok([USER_READ]),
};

const check = (settings: ConsentSettings, baseline: PostureBaselineId, id: string): PostureCheck => {
  const found = checkPosture(settings, baseline).find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};
const statuses = (settings: ConsentSettings, baseline: PostureBaselineId) => Object.fromEntries(checkPosture(settings, baseline).map((c) => [c.id, c.status]));

describe("the baselines as their sources state them", () => {
  it("has Maester's AP08, AP09, CR01–CR04, ScubaGear's MS.AAD.5.1–5.3 and Microsoft's defaults, each with a source and a fix link", () => {
    expect(POSTURE_BASELINES.eidsca.checks.map((c) => c.id)).toEqual(["EIDSCA.AP08", "EIDSCA.AP09", "EIDSCA.CR01", "EIDSCA.CR02", "EIDSCA.CR03", "EIDSCA.CR04"]);
    expect(POSTURE_BASELINES.scuba.checks.map((c) => c.id)).toEqual(["MS.AAD.5.1v1", "MS.AAD.5.2v1", "MS.AAD.5.3v1"]);
    expect(POSTURE_BASELINES["microsoft-managed"].checks.map((c) => c.id)).toEqual(["Microsoft.UserConsent", "Microsoft.RiskBasedStepUp", "Microsoft.GroupOwnerConsent"]);
    for (const baseline of ["eidsca", "scuba", "microsoft-managed"] as const) {
      for (const c of checkPosture(eidscaTenant, baseline)) {
        expect(c.source).toMatch(/^https:\/\//);
        expect(c.fixHref).toMatch(/^(\/admin\/policies\/(user-consent|consent-workflow|classifications|group-consent)\b|https:\/\/entra\.microsoft\.com\/)/);
        expect(c.expected.length).toBeGreaterThan(10);
        expect(c.actual.length).toBeGreaterThan(5);
      }
    }
    expect(check(eidscaTenant, "eidsca", "EIDSCA.AP08").source).toBe("https://maester.dev/docs/tests/EIDSCA.AP08");
    expect(check(eidscaTenant, "scuba", "MS.AAD.5.2v1").source).toMatch(/ScubaGear\/blob\/main\/PowerShell\/ScubaGear\/baselines\/aad\.md#msaad52v1$/);
  });

  it("the same tenant passes one baseline and fails another: they disagree about Microsoft-managed consent", () => {
    expect(statuses(eidscaTenant, "eidsca")).toEqual({ "EIDSCA.AP08": "pass", "EIDSCA.AP09": "pass", "EIDSCA.CR01": "pass", "EIDSCA.CR02": "pass", "EIDSCA.CR03": "pass", "EIDSCA.CR04": "pass" });
    expect(statuses(eidscaTenant, "scuba")).toEqual({ "MS.AAD.5.1v1": "pass", "MS.AAD.5.2v1": "pass", "MS.AAD.5.3v1": "pass" });
    expect(check(eidscaTenant, "microsoft-managed", "Microsoft.UserConsent").status).toBe("fail");
    const managed = { ...eidscaTenant, userConsentPolicies: ok([RECOMMENDED, TEAM]) };
    expect(check(managed, "microsoft-managed", "Microsoft.UserConsent").status).toBe("pass");
    expect(check(managed, "eidsca", "EIDSCA.AP08").status).toBe("fail");
    expect(check(managed, "scuba", "MS.AAD.5.2v1").status).toBe("fail");
  });
});

describe("EIDSCA", () => {
  it("AP08 expects the verified-publisher policy; fails the others; is skipped (unknown) when consent is off or custom, as Maester skips it", () => {
    expect(check(eidscaTenant, "eidsca", "EIDSCA.AP08")).toMatchObject({ status: "pass", fixHref: "/admin/policies/user-consent?step=preview&choice=low" });
    const legacy = check({ ...eidscaTenant, userConsentPolicies: ok([LEGACY, TEAM]) }, "eidsca", "EIDSCA.AP08");
    expect(legacy.status).toBe("fail");
    expect(legacy.actual).toContain(LEGACY);
    expect(check({ ...eidscaTenant, userConsentPolicies: ok([TEAM]) }, "eidsca", "EIDSCA.AP08").status).toBe("unknown");
    expect(check({ ...eidscaTenant, userConsentPolicies: ok(["ManagePermissionGrantsForSelf.contoso-custom"]) }, "eidsca", "EIDSCA.AP08").status).toBe("unknown");
    // The admin center writes the prefix in lower case; Entra (and the portal) read it the same.
    expect(check({ ...eidscaTenant, userConsentPolicies: ok(["managePermissionGrantsForSelf.microsoft-user-default-low"]) }, "eidsca", "EIDSCA.AP08").status).toBe("pass");
  });

  it("AP09 wants allowUserConsentForRiskyApps set to false, and fails when it is not set", () => {
    expect(check(eidscaTenant, "eidsca", "EIDSCA.AP09").status).toBe("pass");
    expect(check({ ...eidscaTenant, allowUserConsentForRiskyApps: ok(true) }, "eidsca", "EIDSCA.AP09").status).toBe("fail");
    const unset = check({ ...eidscaTenant, allowUserConsentForRiskyApps: ok(null) }, "eidsca", "EIDSCA.AP09");
    expect(unset.status).toBe("fail");
    expect(unset.actual).toMatch(/^Not set/);
  });

  it("CR01 fails with the workflow off and links to the workflow wizard preset to turn it on, keeping today's reviewers", () => {
    const off = check({ ...eidscaTenant, adminConsentWorkflow: ok(workflow({ isEnabled: false, notifyReviewers: false })) }, "eidsca", "EIDSCA.CR01");
    expect(off.status).toBe("fail");
    const url = new URL(off.fixHref, "https://portal.example");
    expect(url.pathname).toBe("/admin/policies/consent-workflow");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ step: "choose", isEnabled: "true", notifyReviewers: "false", remindersEnabled: "true", requestDurationInDays: "30" });
    expect(url.searchParams.getAll("reviewer")).toEqual([`group:${REVIEWER_GROUP}`]);
  });

  it("CR02–CR04 fail on their own setting, and are skipped while the workflow is off", () => {
    const t = (w: Partial<WorkflowPolicy>) => ({ ...eidscaTenant, adminConsentWorkflow: ok(workflow(w)) });
    expect(check(t({ notifyReviewers: false }), "eidsca", "EIDSCA.CR02").status).toBe("fail");
    expect(new URL(check(t({ notifyReviewers: false }), "eidsca", "EIDSCA.CR02").fixHref, "https://p").searchParams.get("notifyReviewers")).toBe("true");
    expect(check(t({ remindersEnabled: false }), "eidsca", "EIDSCA.CR03").status).toBe("fail");
    expect(check(t({ requestDurationInDays: 31 }), "eidsca", "EIDSCA.CR04")).toMatchObject({ status: "fail", actual: "A request expires after 31 days." });
    expect(check(t({ requestDurationInDays: 7 }), "eidsca", "EIDSCA.CR04").status).toBe("pass");
    const off = t({ isEnabled: false, notifyReviewers: false, remindersEnabled: false });
    expect([check(off, "eidsca", "EIDSCA.CR02").status, check(off, "eidsca", "EIDSCA.CR03").status, check(off, "eidsca", "EIDSCA.CR04").status]).toEqual(["unknown", "unknown", "unknown"]);
  });
});

describe("CISA ScubaGear", () => {
  it("MS.AAD.5.1 fails when every user may register applications, and points to Entra (no portal wizard changes it)", () => {
    const c = check({ ...eidscaTenant, usersCanRegisterApps: ok(true) }, "scuba", "MS.AAD.5.1v1");
    expect(c).toMatchObject({ status: "fail", actual: "Every user may register applications." });
    expect(c.fixHref).toMatch(/^https:\/\/entra\.microsoft\.com\//);
    expect(check({ ...eidscaTenant, usersCanRegisterApps: ok(null) }, "scuba", "MS.AAD.5.1v1").status).toBe("unknown");
  });

  it("MS.AAD.5.2 passes consent off, or verified-publisher consent with no risky permission classified low; fails Microsoft-managed and all-apps consent", () => {
    const t = (assigned: string[], classified = [USER_READ]) => ({ ...eidscaTenant, userConsentPolicies: ok(assigned), lowClassifiedPermissions: ok(classified) });
    expect(check(t([TEAM]), "scuba", "MS.AAD.5.2v1").status).toBe("pass");
    expect(check(t([]), "scuba", "MS.AAD.5.2v1").status).toBe("pass");
    expect(check(t([LOW]), "scuba", "MS.AAD.5.2v1").status).toBe("pass");
    const risky = check(t([LOW], [USER_READ, MAIL_SEND]), "scuba", "MS.AAD.5.2v1");
    expect(risky.status).toBe("fail");
    expect(risky.actual).toMatch(/Classified low although the risk table lists them: Mail\.Send\.$/);
    expect(risky.fixHref).toBe("/admin/policies/classifications?step=preview&remove=Mail.Send");
    const managed = check(t([RECOMMENDED]), "scuba", "MS.AAD.5.2v1");
    expect(managed).toMatchObject({ status: "fail", fixHref: "/admin/policies/user-consent?step=preview&choice=low" });
    // With risky permissions classified low, the verified-publisher option would fail too: offer consent off.
    expect(check(t([LEGACY], [MAIL_SEND]), "scuba", "MS.AAD.5.2v1")).toMatchObject({ status: "fail", fixHref: "/admin/policies/user-consent?step=preview&choice=none" });
    expect(check(t(["ManagePermissionGrantsForSelf.contoso-custom"]), "scuba", "MS.AAD.5.2v1").status).toBe("unknown");
    expect(check({ ...t([LOW]), lowClassifiedPermissions: refused }, "scuba", "MS.AAD.5.2v1").status).toBe("unknown");
  });

  it("MS.AAD.5.3 needs the workflow on with a reviewer, and mentions the legacy setting when it disagrees", () => {
    expect(check(eidscaTenant, "scuba", "MS.AAD.5.3v1").status).toBe("pass");
    expect(check({ ...eidscaTenant, adminConsentWorkflow: ok(workflow({ reviewers: [] })) }, "scuba", "MS.AAD.5.3v1").status).toBe("fail");
    const off = check({ ...eidscaTenant, adminConsentWorkflow: ok(workflow({ isEnabled: false })) }, "scuba", "MS.AAD.5.3v1");
    expect(off.status).toBe("fail");
    expect(new URL(off.fixHref, "https://p").searchParams.get("isEnabled")).toBe("true");
    const disagree = check({ ...eidscaTenant, consentDirectorySetting: ok(directory({ EnableAdminConsentRequests: "false" })) }, "scuba", "MS.AAD.5.3v1");
    expect(disagree.status).toBe("pass");
    expect(disagree.actual).toContain("EnableAdminConsentRequests reads “false”");
  });
});

describe("Microsoft-managed default", () => {
  it("user consent: Microsoft-managed passes, anything else fails, with the wizard preset to it", () => {
    const c = check({ ...eidscaTenant, userConsentPolicies: ok([TEAM]) }, "microsoft-managed", "Microsoft.UserConsent");
    expect(c).toMatchObject({ status: "fail", fixHref: "/admin/policies/user-consent?step=preview&choice=recommended" });
    expect(c.actual).toBe("User consent is off (no ManagePermissionGrantsForSelf policy assigned).");
  });

  it("risk-based step-up: passes when not set (Entra's default) unless the consent setting unblocks risky apps; fails when allowed", () => {
    expect(check({ ...eidscaTenant, allowUserConsentForRiskyApps: ok(null) }, "microsoft-managed", "Microsoft.RiskBasedStepUp").status).toBe("pass");
    expect(check({ ...eidscaTenant, allowUserConsentForRiskyApps: ok(true) }, "microsoft-managed", "Microsoft.RiskBasedStepUp").status).toBe("fail");
    const unblocked = { ...eidscaTenant, allowUserConsentForRiskyApps: ok(null), consentDirectorySetting: ok(directory({ BlockUserConsentForRiskyApps: "false" })) };
    expect(check(unblocked, "microsoft-managed", "Microsoft.RiskBasedStepUp").status).toBe("fail");
  });

  it("group-owner consent: off or no longer in the tenant passes, on fails with the wizard preset to off", () => {
    expect(check(eidscaTenant, "microsoft-managed", "Microsoft.GroupOwnerConsent").status).toBe("pass");
    expect(check({ ...eidscaTenant, consentDirectorySetting: ok(readGroupConsent([], false)) }, "microsoft-managed", "Microsoft.GroupOwnerConsent").status).toBe("pass");
    const on = check({ ...eidscaTenant, consentDirectorySetting: ok(directory({ EnableGroupSpecificConsent: "true" })) }, "microsoft-managed", "Microsoft.GroupOwnerConsent");
    expect(on).toMatchObject({ status: "fail", actual: "Every group owner may consent to apps for their group.", fixHref: "/admin/policies/group-consent?step=preview&mode=off" });
  });
});

it("every portal fix link is a choice its wizard page accepts (the page parses these same parameters)", () => {
  const schemas = { "user-consent": userConsentChoiceSchema, "consent-workflow": workflowSettingsSchema, classifications: classificationChangeSchema, "group-consent": groupConsentChoiceSchema } as const;
  const tenants: ConsentSettings[] = [
    eidscaTenant,
    { ...eidscaTenant, userConsentPolicies: ok([RECOMMENDED]), lowClassifiedPermissions: ok([MAIL_SEND]), adminConsentWorkflow: ok(workflow({ isEnabled: false, requestDurationInDays: 45 })) },
    { ...eidscaTenant, userConsentPolicies: ok([LOW]), lowClassifiedPermissions: ok([MAIL_SEND, USER_READ]), consentDirectorySetting: ok(directory({ EnableGroupSpecificConsent: "true" })) },
  ];
  let parsed = 0;
  for (const settings of tenants) {
    for (const baseline of ["eidsca", "scuba", "microsoft-managed"] as const) {
      for (const c of checkPosture(settings, baseline)) {
        const url = new URL(c.fixHref, "https://portal.example");
        if (url.origin !== "https://portal.example" || !url.searchParams.has("step")) continue;
        const wizard = url.pathname.split("/").pop() as keyof typeof schemas;
        const params: Record<string, string | string[]> = {};
        for (const key of new Set(url.searchParams.keys())) params[key] = key === "reviewer" || key === "remove" ? url.searchParams.getAll(key) : url.searchParams.get(key)!;
        expect(schemas[wizard].safeParse(params).success, `${c.id}: ${c.fixHref}`).toBe(true);
        parsed++;
      }
    }
  }
  expect(parsed).toBeGreaterThan(20);
});

it("a part that could not be read makes its checks unknown, with the reason, never pass or fail", () => {
  const blind: ConsentSettings = { userConsentPolicies: refused, allowUserConsentForRiskyApps: refused, usersCanRegisterApps: refused, adminConsentWorkflow: refused, consentDirectorySetting: refused, lowClassifiedPermissions: refused };
  for (const baseline of ["eidsca", "scuba", "microsoft-managed"] as const) {
    for (const c of checkPosture(blind, baseline)) {
      expect(c.status, c.id).toBe("unknown");
      expect(c.actual).toMatch(/^Could not be read: Microsoft Graph answered 403/);
    }
  }
});
