import { describe, expect, it } from "vitest";
import { graphPermission } from "@/lib/testing/permissions";
import { APPS, USERS } from "@/sim/graph/test-helpers";
import { sectionBlocks } from "./blocks";
import { diffSettings, comparableSpec } from "./diff";
import type { SettingsDocument } from "./schema";
import { parseSettingsDocument, toJson, toYaml } from "./serialize";

const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
const ZOOM = "1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
const GA_ROLE = "62e90394-69f5-4237-9190-012177145e10";
const GROUP = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";

function sample(): SettingsDocument {
  return {
    apiVersion: "consent-portal/v1",
    kind: "ConsentSettings",
    metadata: { tenantId: "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a", exportedAt: "2026-12-06T04:00:00.000Z", exportedBy: "alex@contoso.example" },
    spec: {
      userConsent: { policy: "microsoft-managed" },
      adminConsentWorkflow: {
        enabled: true,
        reviewers: [
          { type: "user", id: USERS.alex.id, name: "Alex Wilber" },
          { type: "role", id: GA_ROLE, name: "Global Administrator" },
        ],
        notifyReviewers: true,
        remindersEnabled: true,
        requestDurationInDays: 30,
      },
      classifications: { lowImpact: ["User.Read", "openid", "profile"] },
      groupOwnerConsent: { mode: "off" },
      baselines: [
        {
          appId: APPS.nylas,
          displayName: "Nylas",
          verifiedPublisher: "Nylas, Inc.",
          permissions: [
            graphPermission("Mail.Read"),
            { resourceAppId: EXCHANGE, resourceName: "Office 365 Exchange Online", consentType: "Application", value: "full_access_as_app" },
          ],
          approvedBy: "alex@contoso.example",
          approvedAt: "2026-12-01T10:00:00.000Z",
          version: 2,
        },
      ],
    },
  };
}

function parsed(text: string): SettingsDocument {
  const result = parseSettingsDocument(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

describe("export and import", () => {
  it.each([
    ["JSON", toJson],
    ["YAML", toYaml],
  ] as const)("round-trips through %s: export → parse gives the same document, and exporting it again the same text", (_, write) => {
    const text = write(sample());
    const back = parsed(text);
    expect(comparableSpec(back.spec)).toEqual(comparableSpec(sample().spec));
    expect(back.metadata).toEqual(sample().metadata);
    expect(back.spec.adminConsentWorkflow?.reviewers.map((r) => r.name).sort()).toEqual(["Alex Wilber", "Global Administrator"]);
    expect(write(back)).toBe(text);
  });

  it("writes YAML a reviewer can read: the version and kind first, plain keys, no JSON braces", () => {
    const text = toYaml(sample());
    expect(text.startsWith("apiVersion: consent-portal/v1\nkind: ConsentSettings\n")).toBe(true);
    expect(text).toContain("policy: microsoft-managed");
    expect(text).not.toContain("{");
  });

  it("exports the same text whatever order the lists were read in", () => {
    const shuffled = sample();
    shuffled.spec.classifications!.lowImpact.reverse();
    shuffled.spec.adminConsentWorkflow!.reviewers.reverse();
    shuffled.spec.baselines![0]!.permissions.reverse();
    expect(toYaml(shuffled)).toBe(toYaml(sample()));
  });
});

describe("a bad document is refused with a message per field", () => {
  const problems = (text: string) => {
    const result = parseSettingsDocument(text);
    expect(result.ok).toBe(false);
    return result.ok ? [] : result.problems;
  };

  it("names each wrong field by its path", () => {
    const doc = JSON.parse(toJson(sample()));
    doc.spec.userConsent.policy = "everyone";
    doc.spec.adminConsentWorkflow.requestDurationInDays = 45;
    doc.spec.baselines[0].permissions[1].consentType = "Tenant";
    doc.spec.groupOwnerConsent = { mode: "group" };
    const found = problems(JSON.stringify(doc));
    expect(found).toEqual(
      expect.arrayContaining([
        { path: "spec.userConsent.policy", message: "Must be one of: none, low-impact, microsoft-managed, all-apps, custom." },
        { path: "spec.adminConsentWorkflow.requestDurationInDays", message: "Requests can wait at most 30 days." },
        { path: "spec.baselines[0].permissions[1].consentType", message: "consentType must be AllPrincipals, Principal or Application." },
        { path: "spec.groupOwnerConsent.groupId", message: "Name the group (groupId) whose members may consent." },
      ]),
    );
  });

  it("refuses another version or kind, unknown keys, a workflow on without reviewers, and a GUID that is not one", () => {
    const doc = JSON.parse(toJson(sample()));
    doc.apiVersion = "consent-portal/v2";
    doc.kind = "Settings";
    doc.spec.extra = true;
    doc.spec.adminConsentWorkflow.reviewers = [];
    doc.spec.baselines[0].appId = "nylas";
    const found = problems(JSON.stringify(doc));
    const at = (path: string) => found.filter((p) => p.path === path).map((p) => p.message);
    expect(at("apiVersion")).toEqual(["apiVersion must be consent-portal/v1."]);
    expect(at("kind")).toEqual(["kind must be ConsentSettings."]);
    expect(found.some((p) => p.path === "spec" && /extra/.test(p.message))).toBe(true);
    expect(at("spec.adminConsentWorkflow.reviewers")).toEqual(["Name at least one reviewer: Entra does not accept the workflow turned on without reviewers."]);
    expect(at("spec.baselines[0].appId")).toEqual(["Must be a GUID like 00000000-0000-0000-0000-000000000000."]);
  });

  it("says where JSON or YAML is broken, and refuses an empty or a duplicate-key document", () => {
    expect(problems('{"apiVersion": "consent-portal/v1",}')[0]!.message).toMatch(/^This is not valid JSON/);
    expect(problems("apiVersion: consent-portal/v1\nkind: [unclosed\n")[0]!.message).toMatch(/^This is not valid YAML/);
    expect(problems("kind: ConsentSettings\nkind: ConsentSettings\n")[0]!.message).toMatch(/not valid YAML/);
    expect(problems("   ")[0]!.message).toMatch(/empty/);
    expect(problems("- just\n- a list\n")[0]!.message).toBe("A settings document must be an object with apiVersion, kind and spec.");
  });
});

describe("diffSettings: per section, in words", () => {
  const tenant = () => sample().spec;

  it("finds nothing to change between a tenant and its own export", () => {
    const diff = diffSettings(tenant(), parsed(toYaml(sample())).spec);
    expect(diff.changed).toBe(false);
    expect(diff.sections.map((s) => s.state)).toEqual(["same", "same", "same", "same", "same"]);
  });

  it("says the user consent change with the options' names", () => {
    const wanted = { ...tenant(), userConsent: { policy: "none" as const } };
    const section = diffSettings(tenant(), wanted).sections.find((s) => s.section === "userConsent")!;
    expect(section.state).toBe("changed");
    expect(section.lines).toEqual(["User consent: Microsoft-managed → Do not allow user consent"]);
  });

  it("lists classifications added and removed", () => {
    const wanted = { ...tenant(), classifications: { lowImpact: ["openid", "profile", "Mail.Read"] } };
    expect(diffSettings(tenant(), wanted).sections.find((s) => s.section === "classifications")!.lines).toEqual(["Classifications: + Mail.Read, − User.Read"]);
  });

  it("flags classifying a high-risk permission, and ignores the case of names", () => {
    const wanted = { ...tenant(), classifications: { lowImpact: ["user.read", "OPENID", "profile", "Mail.ReadWrite"] } };
    const diff = diffSettings(tenant(), wanted);
    expect(diff.sections.find((s) => s.section === "classifications")!.lines).toEqual(["Classifications: + Mail.ReadWrite"]);
    expect(diff.highRiskClassifications).toEqual(["Mail.ReadWrite"]);
  });

  it("says each workflow setting that changes, reviewers by name", () => {
    const wanted = structuredClone(tenant());
    wanted.adminConsentWorkflow = { enabled: true, reviewers: [{ type: "group", id: GROUP, name: "IT Admins" }, { type: "user", id: USERS.alex.id }], notifyReviewers: false, remindersEnabled: true, requestDurationInDays: 14 };
    expect(diffSettings(tenant(), wanted).sections.find((s) => s.section === "adminConsentWorkflow")!.lines).toEqual([
      "Admin consent workflow reviewers: + group IT Admins, − role Global Administrator",
      "Admin consent workflow email to reviewers: on → off",
      "Admin consent workflow requests expire after: 30 → 14 days",
    ]);
    wanted.adminConsentWorkflow.enabled = false;
    expect(diffSettings(tenant(), wanted).sections.find((s) => s.section === "adminConsentWorkflow")!.lines[0]).toBe("Admin consent workflow: on → off");
  });

  it("says group-owner consent before and after, and when the tenant has no such setting", () => {
    const wanted = { ...tenant(), groupOwnerConsent: { mode: "group" as const, groupId: GROUP, groupName: "Team owners" } };
    expect(diffSettings(tenant(), wanted).sections.find((s) => s.section === "groupOwnerConsent")!.lines).toEqual(["Group-owner consent: off → owners who are members of “Team owners”"]);
    const newer = { ...tenant(), groupOwnerConsent: undefined };
    expect(diffSettings(newer, { ...tenant(), groupOwnerConsent: { mode: "all" } }).sections.find((s) => s.section === "groupOwnerConsent")!.lines).toEqual([
      "Group-owner consent: not available in this tenant → every group owner",
    ]);
  });

  it("says per app which approved permissions are added or removed, new baselines, and those the document leaves alone", () => {
    const wanted = structuredClone(tenant());
    const nylas = wanted.baselines![0]!;
    nylas.permissions = [
      graphPermission("Mail.Read"),
      graphPermission("Mail.Send"),
    ];
    nylas.verifiedPublisher = null;
    wanted.baselines!.push({ appId: ZOOM, displayName: "Zoom", verifiedPublisher: "Zoom", permissions: [graphPermission("Calendars.Read", "Principal")] });
    const section = diffSettings(tenant(), wanted).sections.find((s) => s.section === "baselines")!;
    expect(section.lines).toEqual([
      "Baseline of Nylas: + Mail.Send (all users), − full_access_as_app on Office 365 Exchange Online (application)",
      "Baseline of Nylas: verified publisher “Nylas, Inc.” → none",
      "Baseline of Zoom (new): + Calendars.Read (users' own consent)",
    ]);
    const dropped = diffSettings(wanted, { ...tenant(), baselines: [tenant().baselines![0]!] }).sections.find((s) => s.section === "baselines")!;
    expect(dropped.notes).toEqual(["Not in the document, kept as they are: Zoom."]);
  });

  it("leaves out sections the document does not have", () => {
    const diff = diffSettings(tenant(), { classifications: { lowImpact: ["openid"] } });
    expect(diff.sections.map((s) => [s.section, s.state])).toEqual([
      ["userConsent", "not-in-document"],
      ["adminConsentWorkflow", "not-in-document"],
      ["classifications", "changed"],
      ["groupOwnerConsent", "not-in-document"],
      ["baselines", "not-in-document"],
    ]);
  });
});

describe("sectionBlocks: what the admin's role cannot apply, said before confirming", () => {
  const CLOUD_APP_ADMIN = "158c047a-c907-4556-b7ef-446551a6b5f7";
  it("blocks user consent and group-owner consent for a Cloud Application Administrator, not the workflow or classifications", () => {
    const tenant = sample().spec;
    const wanted = structuredClone(tenant);
    wanted.userConsent = { policy: "none" };
    wanted.groupOwnerConsent = { mode: "all" };
    wanted.classifications = { lowImpact: ["openid"] };
    const blocks = sectionBlocks(diffSettings(tenant, wanted), [CLOUD_APP_ADMIN], tenant, wanted);
    expect(blocks).toEqual({
      userConsent: "Not with your role: The authorization policy needs Privileged Role Administrator or Global Administrator.",
      groupOwnerConsent: "Not with your role: The group consent directory setting needs Global Administrator.",
    });
    expect(sectionBlocks(diffSettings(tenant, wanted), [GA_ROLE], tenant, wanted)).toEqual({});
  });

  it("blocks a custom user consent setting and group-owner consent where the tenant has none", () => {
    const tenant = { ...sample().spec, groupOwnerConsent: undefined };
    const wanted = { ...sample().spec, userConsent: { policy: "custom" as const, entries: ["ManagePermissionGrantsForSelf.contoso"] } };
    const blocks = sectionBlocks(diffSettings(tenant, wanted), [GA_ROLE], tenant, wanted);
    expect(blocks.userConsent).toMatch(/custom user consent setting cannot be applied/);
    expect(blocks.groupOwnerConsent).toMatch(/does not have the group-owner consent setting/);
  });
});
