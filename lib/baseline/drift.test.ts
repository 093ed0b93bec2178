import { describe, expect, it } from "vitest";
import { app, EXCHANGE, GRAPH, held } from "@/lib/inventory/test-fixtures";
import { detectAppDrift, detectDrift, revertSelection } from "./drift";
import type { AppBaselineRecord, BaselinePermission } from "./types";

const APP_ID = "22222222-2222-4222-8222-222222222222";

function baseline(permissions: BaselinePermission[], overrides: Partial<AppBaselineRecord> = {}): AppBaselineRecord {
  return {
    appId: APP_ID,
    displayName: "Contoso Mail Sync",
    permissions,
    verifiedPublisher: null,
    source: "grant",
    justification: "Approved for the sales team",
    requestId: null,
    approvedBy: { oid: "33333333-3333-4333-8333-333333333333", upn: "alex@contoso.example", name: "Alex Wilber" },
    approvedAt: "2026-11-01T00:00:00.000Z",
    version: 1,
    ...overrides,
  };
}

const graph = (value: string, consentType: BaselinePermission["consentType"] = "AllPrincipals"): BaselinePermission => ({
  resourceAppId: GRAPH,
  resourceName: "Microsoft Graph",
  consentType,
  value,
});

describe("drift detection", () => {
  it("finds nothing when the tenant holds exactly the baseline", () => {
    const tenant = app({ permissions: [held("User.Read"), held("Mail.Read", { kind: "application" })] });
    expect(detectAppDrift(tenant, baseline([graph("User.Read"), graph("Mail.Read", "Application")]))).toEqual([]);
  });

  it("added: a scope granted for all users outside the portal, one drift per permission, keyed stably", () => {
    const tenant = app({ permissions: [held("User.Read"), held("Mail.Send"), held("Files.Read.All", { kind: "application" })] });
    const drifts = detectAppDrift(tenant, baseline([graph("User.Read")]));
    expect(drifts.map((d) => [d.kind, d.key])).toEqual([
      ["added", `added|${APP_ID}|${GRAPH}|AllPrincipals|mail.send`],
      ["added", `added|${APP_ID}|${GRAPH}|Application|files.read.all`],
    ]);
    expect(drifts[0]!.detail).toContain("Mail.Send on Microsoft Graph was granted for all users outside the portal");
    expect(drifts[0]!.permissions).toEqual([graph("Mail.Send")]);
  });

  it("added: users' own consent to a scope not approved names how many users; a tenant-wide approval covers users' own consent", () => {
    const tenant = app({ permissions: [held("User.Read", { allUsers: true, userCount: 3, userIds: ["u1", "u2", "u3"] }), held("Mail.Read", { allUsers: false, userCount: 1 })] });
    const drifts = detectAppDrift(tenant, baseline([graph("User.Read")]));
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({ kind: "added", key: `added|${APP_ID}|${GRAPH}|Principal|mail.read`, permissions: [graph("Mail.Read", "Principal")] });
    expect(drifts[0]!.detail).toContain("consented to by 1 user on their own");
  });

  it("removed: an approved tenant-wide scope or application permission no longer held; users' own approvals are not followed", () => {
    const tenant = app({ permissions: [held("User.Read")] });
    const approved = [graph("User.Read"), graph("Mail.Read"), graph("Sites.Read.All", "Application"), graph("Calendars.Read", "Principal")];
    const drifts = detectAppDrift(tenant, baseline(approved));
    expect(drifts.map((d) => [d.kind, d.permissions[0]!.value])).toEqual([
      ["removed", "Mail.Read"],
      ["removed", "Sites.Read.All"],
    ]);
    expect(drifts[0]!.detail).toContain("no longer held");
  });

  it("removed: a baselined app that holds nothing any more loses every tenant-wide approval", () => {
    const drifts = detectDrift([], [baseline([graph("User.Read")])]);
    expect(drifts).toEqual([expect.objectContaining({ kind: "removed", appId: APP_ID, servicePrincipalId: null, appName: "Contoso Mail Sync" })]);
  });

  it("unapproved-app: a third-party app with consent and no baseline; first-party Microsoft apps and apps without consent are not", () => {
    const thirdParty = app({ permissions: [held("User.Read"), held("full_access_as_app", { kind: "application", resourceAppId: EXCHANGE })] });
    const microsoft = app({ appId: "44444444-4444-4444-8444-444444444444", firstParty: true, permissions: [held("User.Read")] });
    const empty = app({ appId: "55555555-5555-4555-8555-555555555555", permissions: [] });
    const drifts = detectDrift([thirdParty, microsoft, empty], []);
    expect(drifts).toHaveLength(1);
    expect(drifts[0]).toMatchObject({ kind: "unapproved-app", key: `unapproved-app|${APP_ID}` });
    expect(drifts[0]!.permissions).toHaveLength(2);
    expect(drifts[0]!.detail).toContain("holds 2 permissions on 2 APIs and was never approved");
  });

  it("publisher-unverified: approved with a verified publisher, now none; still verified is no drift", () => {
    const approved = baseline([graph("User.Read")], { verifiedPublisher: "Contoso Ltd" });
    expect(detectAppDrift(app({ permissions: [held("User.Read")], verifiedPublisher: "Contoso Ltd" }), approved)).toEqual([]);
    const drifts = detectAppDrift(app({ permissions: [held("User.Read")], verifiedPublisher: null }), approved);
    expect(drifts).toEqual([expect.objectContaining({ kind: "publisher-unverified", key: `publisher-unverified|${APP_ID}`, permissions: [] })]);
    expect(drifts[0]!.detail).toContain("Contoso Ltd");
  });

  it("reverting: added → the revoke wizard's selection, removed → the grant wizard's, publisher → nothing to put back", () => {
    expect(revertSelection({ kind: "added", permissions: [graph("Mail.Send")] })).toEqual({ wizard: "revoke", s: [`${GRAPH}|Mail.Send`], r: [], u: [] });
    expect(revertSelection({ kind: "added", permissions: [graph("Mail.Read", "Principal")] }, ["u1", "u1", "u2"])).toEqual({ wizard: "revoke", s: [], r: [], u: ["u1", "u2"] });
    expect(revertSelection({ kind: "removed", permissions: [graph("Sites.Read.All", "Application")] })).toEqual({ wizard: "grant", d: [], r: [`${GRAPH}|Sites.Read.All`] });
    expect(revertSelection({ kind: "publisher-unverified", permissions: [] })).toBeNull();
  });
});

describe("accepting a drift", () => {
  it("adds what was added, drops what was removed, adopts a never-approved app's consent, and keeps the rest", async () => {
    const { acceptedPermissions } = await import("./drift-resolve");
    const approved = [graph("User.Read"), graph("Mail.Read")];
    expect(acceptedPermissions(approved, { kind: "added", permissions: [graph("Mail.Send")] })).toEqual([...approved, graph("Mail.Send")]);
    expect(acceptedPermissions(approved, { kind: "removed", permissions: [graph("mail.read")] })).toEqual([graph("User.Read")]);
    expect(acceptedPermissions([], { kind: "unapproved-app", permissions: [graph("Files.Read")] })).toEqual([graph("Files.Read")]);
    expect(acceptedPermissions(approved, { kind: "publisher-unverified", permissions: [] })).toEqual(approved);
  });
});
