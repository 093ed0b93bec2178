import { describe, expect, it } from "vitest";
import { groupPermissions, heldOfChosen, heldPermissions, mergeApproved, sameApproved, shrinkApproved } from "./merge";
import type { BaselinePermission } from "./types";

const GRAPH = { appId: "00000003-0000-0000-c000-000000000000", displayName: "Microsoft Graph" };
const EXO = { appId: "00000002-0000-0ff1-ce00-000000000000", displayName: "Office 365 Exchange Online" };
const p = (value: string, consentType: BaselinePermission["consentType"] = "AllPrincipals", api = GRAPH): BaselinePermission => ({
  resourceAppId: api.appId,
  resourceName: api.displayName,
  consentType,
  value,
});
const values = (list: BaselinePermission[]) => list.map((x) => `${x.consentType}:${x.value}`);

describe("what the tenant holds, as baseline permissions", () => {
  it("lists tenant-wide scopes, users' own consent once per scope, and application permissions", () => {
    const held = heldPermissions({
      tenantWide: [{ resource: GRAPH, scopes: ["User.Read", "Mail.Read"] }],
      userConsents: [
        { resource: GRAPH, scopes: ["Files.Read"] },
        { resource: GRAPH, scopes: ["files.read", "Calendars.Read"] },
      ],
      appPermissions: [{ resource: EXO, value: "full_access_as_app" }],
    });
    expect(values(held)).toEqual(["AllPrincipals:Mail.Read", "AllPrincipals:User.Read", "Principal:Calendars.Read", "Principal:Files.Read", "Application:full_access_as_app"]);
  });
});

describe("a grant", () => {
  it("approves only what the tenant, read back, holds of the admin's choice", () => {
    const held = [p("User.Read"), p("Mail.Read"), p("Sites.Read.All")];
    const { approved, notHeld } = heldOfChosen([p("User.Read"), p("mail.read"), p("Mail.Send"), p("Mail.Read", "Application")], held);
    expect(values(approved)).toEqual(["AllPrincipals:User.Read", "AllPrincipals:mail.read"]);
    expect(values(notHeld)).toEqual(["AllPrincipals:Mail.Send", "Application:Mail.Read"]);
  });

  it("adds to the existing baseline and never drops what was approved before", () => {
    const merged = mergeApproved([p("User.Read"), p("Mail.Read", "Application")], [p("user.read"), p("Calendars.Read")]);
    expect(values(merged)).toEqual(["AllPrincipals:Calendars.Read", "AllPrincipals:User.Read", "Application:Mail.Read"]);
    expect(sameApproved(merged, [p("Calendars.Read"), p("USER.READ"), p("Mail.Read", "Application")])).toBe(true);
    expect(sameApproved(merged, [p("Calendars.Read"), p("User.Read")])).toBe(false);
  });
});

describe("a revoke", () => {
  const existing = [p("User.Read"), p("Mail.Read"), p("Files.Read", "Principal"), p("Mail.Read", "Application")];

  it("drops what it touched and the tenant no longer holds", () => {
    const { remaining, removed } = shrinkApproved(existing, [p("Mail.Read")], [p("User.Read"), p("Files.Read", "Principal"), p("Mail.Read", "Application")]);
    expect(values(removed)).toEqual(["AllPrincipals:Mail.Read"]);
    expect(values(remaining)).toEqual(["AllPrincipals:User.Read", "Principal:Files.Read", "Application:Mail.Read"]);
  });

  it("keeps what it touched but the tenant still holds (a failed step), and what it did not touch", () => {
    const { remaining, removed } = shrinkApproved(existing, [p("Mail.Read"), p("Files.Read", "Principal")], [p("Mail.Read"), p("Files.Read", "Principal")]);
    expect(removed).toEqual([]);
    expect(remaining).toHaveLength(4);
  });

  it("after a delete (everything touched, nothing held) leaves nothing approved", () => {
    const { remaining, removed } = shrinkApproved(existing, existing, []);
    expect(remaining).toEqual([]);
    expect(removed).toHaveLength(4);
  });
});

describe("reading a baseline", () => {
  it("groups permissions per API and consent type", () => {
    const groups = groupPermissions([p("User.Read"), p("full_access_as_app", "Application", EXO), p("Mail.Read"), p("Mail.Send", "Application")]);
    expect(groups.map((g) => `${g.resourceName}|${g.consentType}|${g.values.join(",")}`)).toEqual([
      "Microsoft Graph|AllPrincipals|Mail.Read,User.Read",
      "Microsoft Graph|Application|Mail.Send",
      "Office 365 Exchange Online|Application|full_access_as_app",
    ]);
  });
});
