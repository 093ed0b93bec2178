import { DEFAULT_RECERTIFICATION_DAYS, type BaselinePermission } from "@/lib/baseline/types";
import { compareLevels } from "@/lib/inventory/risk";
import { heldPermissionRisk, type RiskLevel } from "@/lib/permissions";

/**
 * Recertification's schedule, pure: when an app's consent is due for re-attestation, what state it is
 * in, and what the job must do about it at a given moment. Every function takes `now` (the clock is the
 * caller's), so tests move time instead of waiting for it.
 */

export const DAY_MS = 86_400_000;
/** The owner's task opens this many days before the due date (the reminder mail goes out then). */
export const REMINDER_DAYS = 14;
export const RISK_LEVELS = ["Critical", "High", "Medium", "Low", "Unrated"] as const satisfies readonly RiskLevel[];

export type RecertificationState = "attested" | "due" | "overdue" | "revoked";

/** What the schedule needs of an AppRecertification row. */
export type ScheduleRow = {
  dueAt: Date;
  autoRevoke: boolean;
  warnDays: number;
  graceDays: number;
  remindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  warnedAt: Date | null;
  revokedAt: Date | null;
};

export const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY_MS);

/** The app's period: its own, else its risk level's policy, else the default for the level. */
export function periodDaysFor(riskLevel: string, ownPeriodDays: number | null, policies: ReadonlyMap<string, number>): number {
  if (ownPeriodDays !== null && ownPeriodDays > 0) return ownPeriodDays;
  const level = (RISK_LEVELS as readonly string[]).includes(riskLevel) ? (riskLevel as RiskLevel) : "Unrated";
  return policies.get(level) ?? DEFAULT_RECERTIFICATION_DAYS[level];
}

/** The highest risk level among an app's approved permissions, by the portal's risk table (used before any scan has rated the app). */
export function riskLevelOfPermissions(permissions: readonly BaselinePermission[]): RiskLevel {
  let level: RiskLevel = "Low";
  for (const p of permissions) {
    const risk = heldPermissionRisk(p.resourceAppId, p.consentType === "Application" ? "application" : "delegated", p.value);
    if (compareLevels(risk, level) > 0) level = risk;
  }
  return permissions.length === 0 ? "Unrated" : level;
}

export function stateOf(row: Pick<ScheduleRow, "dueAt" | "revokedAt">, now: Date): RecertificationState {
  if (row.revokedAt) return "revoked";
  if (now.getTime() >= row.dueAt.getTime()) return "overdue";
  if (now.getTime() >= addDays(row.dueAt, -REMINDER_DAYS).getTime()) return "due";
  return "attested";
}

/**
 * When the consent is revoked automatically (autoRevoke only): `graceDays` after the due date, but never
 * sooner than `warnDays` after the warning actually went out — a warning sent late (the setting was turned
 * on while already overdue, or the job was down) still gives the owner the days it promises.
 */
export function revocationAt(row: ScheduleRow): Date | null {
  if (!row.autoRevoke) return null;
  const scheduled = addDays(row.dueAt, row.graceDays);
  if (!row.warnedAt) return scheduled;
  const promised = addDays(row.warnedAt, row.warnDays);
  return promised > scheduled ? promised : scheduled;
}

/** When the warning is due: `warnDays` before the scheduled revocation. */
export function warningAt(row: ScheduleRow): Date | null {
  if (!row.autoRevoke) return null;
  return addDays(row.dueAt, row.graceDays - row.warnDays);
}

export type ScheduleAction = "remind" | "overdue" | "warn" | "revoke";

/**
 * What the job does for one app now, in order. Each notice goes once per due date (its timestamp on the
 * row, cleared when the due date moves); revocation only where the admin turned it on for this app, and
 * only after the warning.
 */
export function actionsDue(row: ScheduleRow, now: Date): ScheduleAction[] {
  const state = stateOf(row, now);
  if (state === "revoked" || state === "attested") return [];
  const actions: ScheduleAction[] = [];
  if (state === "due" && !row.remindedAt) actions.push("remind");
  if (state === "overdue" && !row.overdueNotifiedAt) actions.push("overdue");
  const warnAt = warningAt(row);
  if (warnAt && !row.warnedAt && now.getTime() >= warnAt.getTime()) actions.push("warn");
  const revokeAt = revocationAt(row);
  // The warning of this very run counts from now: the revocation waits its warnDays.
  if (revokeAt && row.warnedAt && state === "overdue" && now.getTime() >= revokeAt.getTime()) actions.push("revoke");
  return actions;
}

/** Unused: no sign-in for at least `unusedAfterDays` (the inventory's sign-in log). Unknown is not unused. */
export function unusedFor(lastSignIn: Date | null, unusedAfterDays: number, now: Date): number | null {
  if (!lastSignIn) return null;
  const days = Math.floor((now.getTime() - lastSignIn.getTime()) / DAY_MS);
  return days >= unusedAfterDays ? days : null;
}

/** What an AppRecertification row should hold for an app's baseline, given what the scan and the policies say. */
export type SyncInput = {
  baseline: { appId: string; displayName: string; permissions: readonly BaselinePermission[]; approvedAt: Date };
  existing: (ScheduleRow & { periodDays: number | null; lastAttestedAt: Date | null }) | null;
  /** The latest completed scan's level for the app, if it was in that scan. */
  scannedRiskLevel: string | null;
  policies: ReadonlyMap<string, number>;
};

export type SyncResult = {
  riskLevel: string;
  dueAt: Date;
  revokedAt: Date | null;
  /** The due date moved: the notices of the old one no longer count. */
  resetNotices: boolean;
};

/**
 * The due date counts from the last approval of the app's consent: the later of its last attestation and
 * its baseline's approval (a grant through the portal is an approval too). An app revoked automatically
 * stays revoked until its consent is approved again; an app whose baseline holds nothing is revoked.
 */
export function syncRow(input: SyncInput): SyncResult {
  const { baseline, existing } = input;
  const riskLevel = input.scannedRiskLevel ?? riskLevelOfPermissions(baseline.permissions);
  const period = periodDaysFor(riskLevel, existing?.periodDays ?? null, input.policies);
  const attested = existing?.lastAttestedAt ?? null;
  const anchor = attested && attested > baseline.approvedAt ? attested : baseline.approvedAt;
  const dueAt = addDays(anchor, period);
  let revokedAt = existing?.revokedAt ?? null;
  if (revokedAt && baseline.approvedAt > revokedAt) revokedAt = null;
  if (!revokedAt && baseline.permissions.length === 0) revokedAt = baseline.approvedAt;
  const resetNotices = existing !== null && existing.dueAt.getTime() !== dueAt.getTime();
  return { riskLevel, dueAt, revokedAt, resetNotices };
}

/** The due date after an attestation at `at`. */
export function nextDueAt(at: Date, riskLevel: string, ownPeriodDays: number | null, policies: ReadonlyMap<string, number>): Date {
  return addDays(at, periodDaysFor(riskLevel, ownPeriodDays, policies));
}

/** Days from `now` to `at`, rounded toward the nearer whole day, for the mails and the dashboard. */
export function daysUntil(at: Date, now: Date): number {
  return Math.round((at.getTime() - now.getTime()) / DAY_MS);
}
