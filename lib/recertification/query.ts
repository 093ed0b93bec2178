import "server-only";
import type { BaselinePermission } from "@/lib/baseline/types";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { DEFAULT_UNUSED_AFTER_DAYS } from "@/lib/inventory/scan/engine";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { searchUsers } from "@/lib/graph/directory";
import { scannedApps, syncRecertifications, type AttestationRow, type RecertificationRow } from "./core";
import { periodDaysFor, revocationAt, stateOf, unusedFor, RISK_LEVELS, type RecertificationState } from "./schedule";

/** What the dashboard, the attest page and the settings pages read. Reading brings the schedule up to date first. */

export type RecertificationItem = {
  row: RecertificationRow;
  state: RecertificationState;
  periodDays: number;
  revokesAt: Date | null;
  unusedDays: number | null;
  lastAttestation: AttestationRow | null;
};

async function items(rows: RecertificationRow[], now: Date): Promise<RecertificationItem[]> {
  const prisma = db();
  const appIds = rows.map((r) => r.appId);
  const [policies, scanned, attestations] = await Promise.all([
    prisma.recertificationPolicy.findMany().then((ps) => new Map(ps.map((p) => [p.riskLevel, p.periodDays]))),
    scannedApps(prisma, env().tenant.tenantId, appIds),
    prisma.attestation.findMany({ where: { appId: { in: appIds } }, orderBy: { createdAt: "desc" }, distinct: ["appId"] }),
  ]);
  const latest = new Map(attestations.map((a) => [a.appId, a]));
  return rows.map((row) => ({
    row,
    state: stateOf(row, now),
    periodDays: periodDaysFor(row.riskLevel, row.periodDays, policies),
    revokesAt: row.revokedAt ? null : revocationAt(row),
    unusedDays: unusedFor(scanned.get(row.appId)?.lastSignIn ?? null, DEFAULT_UNUSED_AFTER_DAYS, now),
    lastAttestation: latest.get(row.appId) ?? null,
  }));
}

export async function recertificationItems(now: Date = new Date()): Promise<RecertificationItem[]> {
  const rows = await syncRecertifications({ prisma: db(), tenantId: env().tenant.tenantId });
  return (await items(rows, now)).sort((a, b) => a.row.dueAt.getTime() - b.row.dueAt.getTime() || a.row.displayName.localeCompare(b.row.displayName));
}

/** Someone proposed revoking the app's consent (its latest attestation), and it has not been revoked yet. */
export const proposedForRevocation = (item: RecertificationItem) => item.lastAttestation?.decision === "revoke-requested" && item.state !== "revoked";

/** What an admin should act on: proposals to revoke, and other apps overdue for re-attestation. */
export async function recertificationAttention(now: Date = new Date()): Promise<{ proposed: number; overdue: number }> {
  const all = await recertificationItems(now);
  const proposed = all.filter(proposedForRevocation);
  return { proposed: proposed.length, overdue: all.filter((item) => item.state === "overdue" && !proposed.includes(item)).length };
}

export async function recertificationItem(appId: string, now: Date = new Date()): Promise<(RecertificationItem & { permissions: BaselinePermission[]; baselineVersion: number }) | null> {
  await syncRecertifications({ prisma: db(), tenantId: env().tenant.tenantId });
  const row = await db().appRecertification.findUnique({ where: { appId: appId.toLowerCase() } });
  const baseline = await db().appBaseline.findUnique({ where: { appId: appId.toLowerCase() } });
  if (!row || !baseline) return null;
  const [item] = await items([row], now);
  return item ? { ...item, permissions: baseline.permissions as unknown as BaselinePermission[], baselineVersion: baseline.version } : null;
}

export async function attestationsOf(appId: string, take = 20): Promise<AttestationRow[]> {
  return db().attestation.findMany({ where: { appId: appId.toLowerCase() }, orderBy: { createdAt: "desc" }, take });
}

export async function recertificationPolicies(): Promise<{ riskLevel: (typeof RISK_LEVELS)[number]; periodDays: number; custom: boolean; updatedByUpn: string | null }[]> {
  const rows = new Map((await db().recertificationPolicy.findMany()).map((p) => [p.riskLevel, p]));
  return RISK_LEVELS.map((riskLevel) => {
    const row = rows.get(riskLevel);
    return { riskLevel, periodDays: periodDaysFor(riskLevel, null, new Map(row ? [[riskLevel, row.periodDays]] : [])), custom: row !== undefined, updatedByUpn: row?.updatedByUpn ?? null };
  });
}

/** Who may attest an app: its named owner, and every reviewer and admin. */
export function mayAttest(user: Pick<SignedInUser, "oid" | "role">, row: Pick<RecertificationRow, "ownerOid">): boolean {
  if (user.role === "admin" || user.role === "reviewer") return true;
  return row.ownerOid !== null && row.ownerOid.toLowerCase() === user.oid.toLowerCase();
}

export type Person = { oid: string; name: string; upn: string };

/** People whose display name starts with `text`, for the owner picker, read as the signed-in admin. */
export async function searchPeople(user: SignedInUser, text: string): Promise<Person[]> {
  const found = await readAsUser(user, (graph) => searchUsers(graph.client, text, ["id", "displayName", "userPrincipalName"], 10));
  return found.flatMap((u) => (u.id && u.userPrincipalName ? [{ oid: u.id, name: u.displayName ?? u.userPrincipalName, upn: u.userPrincipalName }] : []));
}
