import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heldPermissionRisk, type RiskLevel } from "@/lib/permissions";
import { assessApp, levelOfScore } from "./risk";
import { app, ctx, daysAgo, EXCHANGE, GRAPH, held, NOW } from "./test-fixtures";
import type { HeldPermission } from "./types";

describe("permission levels", () => {
  it("come from the risk table: application permissions by app role id, delegated by resource and name", () => {
    // The app role id decides, whatever name the assignment was read with (e2a3a72e-… is Mail.ReadWrite, Critical).
    expect(heldPermissionRisk(GRAPH, "application", "Mail.Renamed", "e2a3a72e-5f79-4c64-b1b1-878b674786c9")).toBe("Critical");
    expect(heldPermissionRisk(GRAPH, "delegated", "Mail.ReadWrite")).toBe("High");
    expect(heldPermissionRisk(GRAPH, "application", "Mail.ReadWrite")).toBe("Critical");
    expect(heldPermissionRisk(EXCHANGE, "application", "full_access_as_app", "dc890d15-9560-4a4c-9b7f-a736ec74ec40")).toBe("Critical");
  });

  it("fall back on Microsoft's admin-consent flag where the table is silent", () => {
    expect(heldPermissionRisk(GRAPH, "delegated", "User.Read")).toBe("Low"); // users may consent
    expect(heldPermissionRisk(GRAPH, "delegated", "AuditLog.Read.All")).toBe("Medium"); // admin only, unrated in the table
    expect(heldPermissionRisk(GRAPH, "application", "Some.Unlisted.Role")).toBe("Medium"); // application: always admin
    expect(heldPermissionRisk("7a6a1c1e-0000-4000-8000-000000000001", "delegated", "access_as_user")).toBe("Unrated");
  });
});

describe("assessApp", () => {
  const mailForAll = app({ permissions: [held("Mail.ReadWrite")] });

  it("scores an unverified multi-tenant app with Mail.ReadWrite for all users above a verified one with User.Read", () => {
    const risky = assessApp(mailForAll, ctx);
    const benign = assessApp(app({ verifiedPublisher: "Fabrikam", permissions: [held("User.Read")] }), ctx);
    expect(risky.score).toBeGreaterThan(benign.score);
    expect(risky.level).toBe("High");
    expect(benign.level).toBe("Low");
    expect(risky.factors).toEqual(["Mail.ReadWrite for all users", "unverified publisher"]);
    expect(benign.factors).toEqual(["User.Read for all users"]);
  });

  it("says every factor in words, as the issue's example reads", () => {
    const risk = assessApp({ ...mailForAll, lastSignIn: daysAgo(90) }, ctx);
    expect(risk.summary).toBe("High: Mail.ReadWrite for all users; unverified publisher; not used for 90 days");
  });

  it("down-weights Microsoft's own apps and this tenant's single-tenant apps", () => {
    const perms = [held("Mail.ReadWrite"), held("Files.ReadWrite.All")];
    const thirdParty = assessApp(app({ verifiedPublisher: "Contoso", permissions: perms }), ctx);
    const own = assessApp(app({ multiTenant: false, permissions: perms }), ctx);
    const microsoft = assessApp(app({ firstParty: true, multiTenant: true, publisherName: "Microsoft Services", permissions: perms }), ctx);
    expect(microsoft.score).toBeLessThan(own.score);
    expect(own.score).toBeLessThan(thirdParty.score);
    expect(microsoft.factors).toContain("Microsoft first-party app");
    expect(microsoft.factors).not.toContain("unverified publisher");
    expect(own.factors).toContain("this tenant's own single-tenant app");
  });

  it("counts the users who consented: more users, more risk, all users the most", () => {
    const forUsers = (n: number) => assessApp(app({ permissions: [held("Mail.ReadWrite", { allUsers: false, userCount: n })] }), ctx).score;
    expect(forUsers(1)).toBeLessThan(forUsers(60));
    expect(forUsers(60)).toBeLessThan(assessApp(mailForAll, ctx).score);
    expect(assessApp(app({ permissions: [held("Mail.Read", { allUsers: false, userCount: 3 })] }), ctx).factors[0]).toBe("Mail.Read for 3 users");
  });

  it("shows the unused factor only when the last sign-in is older than N days, and never without sign-in data", () => {
    expect(assessApp({ ...mailForAll, lastSignIn: daysAgo(89) }, ctx).factors.join()).not.toMatch(/not used/);
    expect(assessApp({ ...mailForAll, lastSignIn: daysAgo(120) }, ctx).factors).toContain("not used for 120 days");
    expect(assessApp({ ...mailForAll, lastSignIn: null }, ctx).factors.join()).not.toMatch(/not used/);
    expect(assessApp({ ...mailForAll, lastSignIn: daysAgo(30) }, { now: NOW, unusedAfterDays: 30 }).factors).toContain("not used for 30 days");
  });

  it("puts a path to Global Administrator first and makes the app Critical", () => {
    const risk = assessApp(
      app({ verifiedPublisher: "Contoso", permissions: [held("User.Read"), held("RoleManagement.ReadWrite.Directory", { kind: "application", appRoleId: "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8" })] }),
      ctx,
    );
    expect(risk.level).toBe("Critical");
    expect(risk.factors[0]).toBe("path to Global Administrator (RoleManagement.ReadWrite.Directory)");
    expect(risk.summary).toMatch(/^Critical: path to Global Administrator/);
    // The delegated form is bound by the signed-in user's role: no escalation path on its own.
    const delegated = assessApp(app({ verifiedPublisher: "Contoso", permissions: [held("RoleManagement.ReadWrite.Directory")] }), ctx);
    expect(delegated.factors.join()).not.toMatch(/Global Administrator/);
  });

  it("names other APIs, lists at most three top permissions, and an app with none scores 0", () => {
    const risk = assessApp(
      app({
        permissions: [
          held("full_access_as_app", { kind: "application", resourceAppId: EXCHANGE, appRoleId: "dc890d15-9560-4a4c-9b7f-a736ec74ec40" }),
          ...["Mail.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All", "Mail.Send"].map((v) => held(v, { kind: "application" })),
        ],
      }),
      ctx,
    );
    expect(risk.factors.slice(0, 4)).toEqual([
      "Files.ReadWrite.All as an application permission",
      "full_access_as_app on Office 365 Exchange Online as an application permission",
      "Mail.ReadWrite as an application permission",
      "1 more Critical permission",
    ]);
    expect(risk.score).toBeLessThanOrEqual(100);
    expect(assessApp(app(), ctx)).toEqual({ level: "Low", score: 0, factors: ["no permissions"], summary: "Low: no permissions" });
  });

  it("is monotone: a riskier permission, more users, an unverified publisher, an older sign-in or one more permission never lowers the score", () => {
    const levels: RiskLevel[] = ["Low", "Unrated", "Medium", "High", "Critical"];
    const perm = fc.record({
      kind: fc.constantFrom("delegated" as const, "application" as const),
      level: fc.integer({ min: 0, max: 4 }),
      allUsers: fc.boolean(),
      userCount: fc.integer({ min: 0, max: 500 }),
      value: fc.constantFrom("Mail.Read", "Files.Read.All", "User.Read", "RoleManagement.ReadWrite.Directory", "Sites.Read.All"),
    });
    const toHeld = (p: { kind: "delegated" | "application"; level: number; allUsers: boolean; userCount: number; value: string }): HeldPermission => ({
      ...held(p.value, { kind: p.kind, allUsers: p.allUsers, userCount: p.userCount }),
      risk: levels[p.level]!,
    });
    const appArb = fc.record({
      perms: fc.array(perm, { minLength: 1, maxLength: 6 }),
      verified: fc.boolean(),
      firstParty: fc.boolean(),
      multiTenant: fc.boolean(),
      enabled: fc.boolean(),
      days: fc.option(fc.integer({ min: 0, max: 400 }), { nil: null }),
    });
    const build = (a: { perms: Parameters<typeof toHeld>[0][]; verified: boolean; firstParty: boolean; multiTenant: boolean; enabled: boolean; days: number | null }) =>
      app({
        permissions: a.perms.map(toHeld),
        verifiedPublisher: a.verified ? "Contoso" : null,
        firstParty: a.firstParty,
        multiTenant: a.multiTenant,
        accountEnabled: a.enabled,
        lastSignIn: a.days === null ? null : daysAgo(a.days),
      });
    const score = (a: Parameters<typeof build>[0]) => assessApp(build(a), ctx).score;
    fc.assert(
      fc.property(appArb, perm, fc.integer({ min: 0, max: 5 }), (a, extra, i) => {
        const at = i % a.perms.length;
        const base = score(a);
        const raised = a.perms.map((p, j) => (j === at ? { ...p, level: Math.min(4, p.level + 1) } : p));
        const moreUsers = a.perms.map((p, j) => (j === at ? { ...p, userCount: p.userCount + 10 } : p));
        const forAll = a.perms.map((p, j) => (j === at ? { ...p, allUsers: true } : p));
        expect(score({ ...a, perms: raised })).toBeGreaterThanOrEqual(base);
        expect(score({ ...a, perms: moreUsers })).toBeGreaterThanOrEqual(base);
        expect(score({ ...a, perms: forAll })).toBeGreaterThanOrEqual(base);
        expect(score({ ...a, perms: [...a.perms, extra] })).toBeGreaterThanOrEqual(base);
        expect(score({ ...a, verified: false })).toBeGreaterThanOrEqual(score({ ...a, verified: true }));
        expect(score({ ...a, firstParty: false })).toBeGreaterThanOrEqual(score({ ...a, firstParty: true }));
        expect(score({ ...a, enabled: true })).toBeGreaterThanOrEqual(score({ ...a, enabled: false }));
        if (a.days !== null) expect(score({ ...a, days: a.days + 100 })).toBeGreaterThanOrEqual(base);
        const result = assessApp(build(a), ctx);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(result.level).toBe(levelOfScore(result.score));
      }),
      { numRuns: 300 },
    );
  });
});
