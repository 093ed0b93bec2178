import { describe, expect, it } from "vitest";
import { GRAPH_APP_ID } from "@/sim/graph/test-helpers";
import { actionsDue, addDays, periodDaysFor, revocationAt, riskLevelOfPermissions, stateOf, syncRow, unusedFor, type ScheduleRow } from "./schedule";

const T0 = new Date("2026-03-01T00:00:00.000Z");
const row = (over: Partial<ScheduleRow> = {}): ScheduleRow => ({
  dueAt: addDays(T0, 30),
  autoRevoke: false,
  warnDays: 7,
  graceDays: 14,
  remindedAt: null,
  overdueNotifiedAt: null,
  warnedAt: null,
  revokedAt: null,
  ...over,
});

describe("the recertification schedule", () => {
  it("takes the app's own period, else its risk level's policy, else the default", () => {
    expect(periodDaysFor("High", 45, new Map([["High", 60]]))).toBe(45);
    expect(periodDaysFor("High", null, new Map([["High", 60]]))).toBe(60);
    expect(periodDaysFor("High", null, new Map())).toBe(90);
    expect(periodDaysFor("Low", null, new Map())).toBe(365);
    expect(periodDaysFor("something else", null, new Map())).toBe(365);
  });

  it("rates an unscanned app by its highest approved permission", () => {
    const graph = (value: string, consentType: "AllPrincipals" | "Application") => ({ resourceAppId: GRAPH_APP_ID, resourceName: "Microsoft Graph", consentType, value });
    expect(riskLevelOfPermissions([graph("User.Read", "AllPrincipals")])).toBe("Low");
    expect(riskLevelOfPermissions([graph("User.Read", "AllPrincipals"), graph("Directory.ReadWrite.All", "Application")])).toBe("Critical");
    expect(riskLevelOfPermissions([])).toBe("Unrated");
  });

  it("is attested, then due 14 days ahead, then overdue; revoked wins", () => {
    expect(stateOf(row(), addDays(T0, 15))).toBe("attested");
    expect(stateOf(row(), addDays(T0, 16))).toBe("due");
    expect(stateOf(row(), addDays(T0, 30))).toBe("overdue");
    expect(stateOf(row({ revokedAt: T0 }), addDays(T0, 40))).toBe("revoked");
  });

  it("reminds and flags once per due date, and never revokes without autoRevoke", () => {
    expect(actionsDue(row(), addDays(T0, 20))).toEqual(["remind"]);
    expect(actionsDue(row({ remindedAt: addDays(T0, 20) }), addDays(T0, 21))).toEqual([]);
    expect(actionsDue(row({ remindedAt: addDays(T0, 20) }), addDays(T0, 31))).toEqual(["overdue"]);
    expect(actionsDue(row({ overdueNotifiedAt: addDays(T0, 31) }), addDays(T0, 400))).toEqual([]);
  });

  it("warns warnDays before the revocation and revokes only after the warning, however late it went", () => {
    const auto = row({ autoRevoke: true, remindedAt: T0, overdueNotifiedAt: addDays(T0, 30) });
    expect(actionsDue(auto, addDays(T0, 36))).toEqual([]);
    expect(actionsDue(auto, addDays(T0, 37))).toEqual(["warn"]);
    const warned = { ...auto, warnedAt: addDays(T0, 37) };
    expect(actionsDue(warned, addDays(T0, 43))).toEqual([]);
    expect(actionsDue(warned, addDays(T0, 44))).toEqual(["revoke"]);
    // Turned on long after the due date: warned now, revoked warnDays later, not at once.
    const late = row({ autoRevoke: true, remindedAt: T0, overdueNotifiedAt: addDays(T0, 30) });
    expect(actionsDue(late, addDays(T0, 100))).toEqual(["warn"]);
    expect(revocationAt({ ...late, warnedAt: addDays(T0, 100) })).toEqual(addDays(T0, 107));
    expect(actionsDue({ ...late, warnedAt: addDays(T0, 100) }, addDays(T0, 106))).toEqual([]);
  });

  it("counts the due date from the later of approval and attestation, and stays revoked until approved again", () => {
    const baseline = { appId: "a", displayName: "A", permissions: [{ resourceAppId: GRAPH_APP_ID, resourceName: "Microsoft Graph", consentType: "AllPrincipals" as const, value: "User.Read" }], approvedAt: T0 };
    const first = syncRow({ baseline, existing: null, scannedRiskLevel: "Medium", policies: new Map() });
    expect(first).toMatchObject({ riskLevel: "Medium", dueAt: addDays(T0, 180), revokedAt: null, resetNotices: false });
    const existing = { ...row({ dueAt: addDays(T0, 180) }), periodDays: 30, lastAttestedAt: addDays(T0, 10) };
    expect(syncRow({ baseline, existing, scannedRiskLevel: "Medium", policies: new Map() })).toMatchObject({ dueAt: addDays(T0, 40), resetNotices: true });
    const revoked = { ...existing, revokedAt: addDays(T0, 50) };
    expect(syncRow({ baseline, existing: revoked, scannedRiskLevel: null, policies: new Map() }).revokedAt).toEqual(addDays(T0, 50));
    expect(syncRow({ baseline: { ...baseline, approvedAt: addDays(T0, 60) }, existing: revoked, scannedRiskLevel: null, policies: new Map() }).revokedAt).toBeNull();
    expect(syncRow({ baseline: { ...baseline, permissions: [] }, existing: null, scannedRiskLevel: null, policies: new Map() }).revokedAt).toEqual(T0);
  });

  it("calls an app unused only when the sign-in log says so", () => {
    expect(unusedFor(null, 90, T0)).toBeNull();
    expect(unusedFor(addDays(T0, -89), 90, T0)).toBeNull();
    expect(unusedFor(addDays(T0, -120), 90, T0)).toBe(120);
  });
});
