import { describe, expect, it } from "vitest";
import { findingsFor, findingWords, isMailOrFiles, permissionOfKey, storedFindingsFor } from "./findings";
import { assessApp } from "./risk";
import { app, ctx, daysAgo, EXCHANGE, GRAPH, held } from "./test-fixtures";
import type { FindingKind, InventoryApp } from "./types";

const RILEY = "4f0d1e50-6172-4394-8ea5-1f2a3b4c5d65";
const JORDAN = "50e1f261-7283-44a5-9fb6-2a3b4c5d6e76";
const none = { ...ctx, grantedOutsidePortal: new Set<string>() };
const kinds = (apps: InventoryApp[], c = none) => findingsFor(apps, c).map((f) => f.kind);
const only = (apps: InventoryApp[], kind: FindingKind, c = none) => findingsFor(apps, c).filter((f) => f.kind === kind);

/** Contoso Mail Sync: multi-tenant, unverified, Mail.ReadWrite for everyone, used yesterday. */
const unverifiedMail = app({ permissions: [held("Mail.ReadWrite")], grantIds: ["grant-contoso-all"] });
/** Fabrikam CRM: verified, only User.Read for everyone. */
const verifiedBenign = app({
  servicePrincipalId: "33333333-3333-4333-8333-333333333333",
  appId: "44444444-4444-4444-8444-444444444444",
  displayName: "Fabrikam CRM",
  publisherName: "Fabrikam",
  verifiedPublisher: "Fabrikam, Inc.",
  permissions: [held("User.Read"), held("offline_access")],
  grantIds: ["grant-fabrikam-all"],
});

describe("findingsFor", () => {
  it("finds nothing for a verified app with low-impact permissions in use", () => {
    expect(findingsFor([verifiedBenign], none)).toEqual([]);
  });

  it("high-risk permission held by an unverified publisher: one finding per permission, with the revoke selection", () => {
    const found = only([unverifiedMail], "high-risk-unverified-publisher");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      key: `high-risk-unverified-publisher|${unverifiedMail.servicePrincipalId}|${GRAPH}|delegated|mail.readwrite`,
      severity: "High",
      appName: "Contoso Mail Sync",
      revoke: { s: [`${GRAPH}|Mail.ReadWrite`], r: [], u: [] },
    });
    expect(found[0]!.title).toBe("Contoso Mail Sync, from a publisher Microsoft has not verified, holds Mail.ReadWrite for all users (High).");
    expect(found[0]!.detail).toMatch(/“Contoso”.*revoke it\.$/);
    // Not for a verified publisher, Microsoft's own app, or this tenant's single-tenant app.
    for (const trusted of [{ verifiedPublisher: "Contoso Ltd" }, { firstParty: true }, { multiTenant: false }]) {
      expect(kinds([{ ...unverifiedMail, ...trusted }])).not.toContain("high-risk-unverified-publisher");
    }
    // Not for a Medium permission.
    expect(kinds([app({ permissions: [held("User.Read.All")] })])).not.toContain("high-risk-unverified-publisher");
  });

  it("an application permission of an unverified app is revoked as an app role, and is Critical", () => {
    const found = only([app({ permissions: [held("full_access_as_app", { kind: "application", resourceAppId: EXCHANGE, appRoleId: "dc890d15-9560-4a4c-9b7f-a736ec74ec40" })] })], "high-risk-unverified-publisher");
    expect(found[0]).toMatchObject({ severity: "Critical", revoke: { s: [], r: [`${EXCHANGE}|full_access_as_app`], u: [] } });
    expect(found[0]!.detail).toContain("full_access_as_app (Office 365 Exchange Online)");
  });

  it("tenant-wide consent to mail or files: delegated for all users and application permissions, not users' own consents", () => {
    const verified = { verifiedPublisher: "Contoso Ltd" };
    const found = only([app({ ...verified, permissions: [held("Files.Read.All"), held("Mail.Send", { allUsers: false, userCount: 4 }), held("Sites.Selected", { kind: "application" })] })], "tenant-wide-mail-or-files");
    expect(found.map((f) => f.revoke)).toEqual([{ s: [`${GRAPH}|Files.Read.All`], r: [], u: [] }]);
    expect(found[0]!.severity).toBe("Medium"); // Files.Read.All is Medium in the table
    expect(found[0]!.title).toBe("Contoso Mail Sync holds Files.Read.All for all users, granted for the whole organization.");
    const app2 = only([app({ ...verified, permissions: [held("Mail.Read", { kind: "application" })] })], "tenant-wide-mail-or-files");
    expect(app2[0]).toMatchObject({ severity: "High", revoke: { r: [`${GRAPH}|Mail.Read`] } });
    expect(kinds([verifiedBenign])).not.toContain("tenant-wide-mail-or-files");
  });

  it("knows mail and files scopes, leaving out those limited by design", () => {
    expect(["Mail.Read", "Mail.ReadWrite.Shared", "Files.ReadWrite.All", "Sites.Read.All", "EWS.AccessAsUser.All", "full_access_as_app", "AllSites.Read"].every(isMailOrFiles)).toBe(true);
    expect(["User.Read", "Files.ReadWrite.AppFolder", "Sites.Selected", "MailboxSettings.Read", "Calendars.Read"].some(isMailOrFiles)).toBe(false);
  });

  it("users' own consents to high-risk scopes: the users are preselected for revoke", () => {
    const found = only([app({ verifiedPublisher: "Contoso Ltd", permissions: [held("Mail.Send", { allUsers: false, userCount: 2, userIds: [RILEY, JORDAN] }), held("User.Read", { allUsers: false, userCount: 2, userIds: [RILEY, JORDAN] })] })], "user-consent-high-risk");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: "High", revoke: { s: [], r: [], u: [RILEY, JORDAN] } });
    expect(found[0]!.title).toBe("2 users consented on their own to Mail.Send (High) for Contoso Mail Sync.");
    // Without the ids (an older scan) the finding stays, and says how to choose the users.
    const withoutIds = only([app({ permissions: [held("Mail.Send", { allUsers: false, userCount: 3 })] })], "user-consent-high-risk");
    expect(withoutIds[0]!.revoke.u).toEqual([]);
    expect(withoutIds[0]!.detail).toMatch(/Open the app to choose whose consent to revoke\.$/);
    // A capped list says so.
    const capped = only([app({ permissions: [held("Mail.Send", { allUsers: false, userCount: 250, userIds: [RILEY] })] })], "user-consent-high-risk");
    expect(capped[0]!.detail).toMatch(/first 1 of the 250 users/);
    expect(kinds([unverifiedMail])).not.toContain("user-consent-high-risk");
  });

  it("apps with no sign-in in N days: only past N days, never without sign-in data or without permissions", () => {
    const old = { ...verifiedBenign, lastSignIn: daysAgo(200) };
    const found = only([old], "unused");
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: `unused|${old.servicePrincipalId}`, severity: "Low", revoke: { s: [`${GRAPH}|User.Read`, `${GRAPH}|offline_access`], r: [], u: [] } });
    expect(found[0]!.title).toBe("Fabrikam CRM has not signed in for 200 days but keeps 2 permissions.");
    expect(kinds([{ ...verifiedBenign, lastSignIn: daysAgo(60) }])).not.toContain("unused");
    expect(kinds([{ ...verifiedBenign, lastSignIn: null }])).not.toContain("unused");
    expect(kinds([{ ...verifiedBenign, lastSignIn: daysAgo(200), permissions: [] }])).not.toContain("unused");
    expect(kinds([{ ...verifiedBenign, lastSignIn: daysAgo(60) }], { ...none, unusedAfterDays: 30 })).toContain("unused");
  });

  it("consent granted outside the portal since the last scan, matched by grant, assignment or service principal id", () => {
    const c = (ids: string[]) => ({ ...none, grantedOutsidePortal: new Set(ids) });
    const found = only([unverifiedMail, verifiedBenign], "granted-outside-portal", c(["grant-contoso-all"]));
    expect(found.map((f) => f.appName)).toEqual(["Contoso Mail Sync"]);
    expect(found[0]).toMatchObject({ key: `granted-outside-portal|${unverifiedMail.servicePrincipalId}`, severity: "High", revoke: { s: [`${GRAPH}|Mail.ReadWrite`] } });
    expect(found[0]!.detail).toContain("High: Mail.ReadWrite for all users; unverified publisher");
    expect(only([verifiedBenign], "granted-outside-portal", c([verifiedBenign.servicePrincipalId]))).toHaveLength(1);
    expect(only([{ ...verifiedBenign, assignmentIds: ["asg-1"] }], "granted-outside-portal", c(["asg-1"]))).toHaveLength(1);
    expect(kinds([unverifiedMail, verifiedBenign])).not.toContain("granted-outside-portal");
  });

  it("keeps keys stable across scans and orders the most severe first", () => {
    const apps = [verifiedBenign, { ...verifiedBenign, lastSignIn: daysAgo(365) }, unverifiedMail, app({ servicePrincipalId: "55555555-5555-4555-8555-555555555555", displayName: "Adatum Backup", permissions: [held("Files.ReadWrite.All", { kind: "application" })] })];
    const first = findingsFor(apps, none);
    const again = findingsFor(structuredClone(apps), none);
    expect(again.map((f) => f.key)).toEqual(first.map((f) => f.key));
    expect(new Set(first.map((f) => f.key)).size).toBe(first.length);
    expect(first[0]).toMatchObject({ appName: "Adatum Backup", severity: "Critical" });
    const order = { Critical: 0, High: 1, Medium: 2, Low: 3 };
    expect(first.map((f) => order[f.severity])).toEqual([...first.map((f) => order[f.severity])].sort());
  });

  it("what the scan stores, read back with findingWords from the app's row, is every finding in full", () => {
    const users = Array.from({ length: 3 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    const apps = [
      unverifiedMail,
      { ...verifiedBenign, lastSignIn: daysAgo(365) },
      app({ servicePrincipalId: "55555555-5555-4555-8555-555555555555", displayName: "Adatum Backup", publisherName: null, permissions: [held("Files.ReadWrite.All", { kind: "application" }), held("full_access_as_app", { kind: "application", resourceAppId: EXCHANGE, resourceName: "Office 365 Exchange Online" })] }),
      app({ servicePrincipalId: "66666666-6666-4666-8666-666666666666", displayName: "Tailspin Notes", permissions: [held("Mail.Send", { allUsers: false, userCount: 250, userIds: users })], grantIds: ["grant-tailspin"] }),
    ];
    const c = { ...none, grantedOutsidePortal: new Set(["grant-tailspin"]) };
    const full = findingsFor(apps, c);
    expect(new Set(full.map((f) => f.kind)).size).toBe(5);
    const stored = storedFindingsFor(apps, c);
    expect(stored).toHaveLength(full.length);
    const read = stored.map((f) => {
      const of = apps.find((a) => a.servicePrincipalId === f.servicePrincipalId)!;
      // the app as its InventoryApp row holds it: the risk summary as the scan assessed it
      const row = { ...structuredClone(of), riskSummary: assessApp(of, c).summary };
      return { ...f, ...findingWords(f.kind, row, permissionOfKey(f.key, row.permissions), c.now) };
    });
    const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
    expect(read.sort(byKey)).toEqual([...full].sort(byKey));
    // a per-permission finding whose permission the app no longer lists has no words of its own
    expect(findingWords("tenant-wide-mail-or-files", { ...apps[0]!, riskSummary: "" }, permissionOfKey("tenant-wide-mail-or-files|x|y|delegated|gone", apps[0]!.permissions), c.now)).toBeNull();
  });
});
