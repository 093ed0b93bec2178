import type { PrismaClient } from "@/generated/prisma/client";
import type { AuditActor, AuditLog, AuditRequestContext } from "@/lib/audit/audit-log";
import type { BaselinePermission } from "@/lib/baseline/types";
import { readAppState } from "@/lib/consent/app-state";
import type { ChangeEngine, StepResult } from "@/lib/consent/engine/run-step";
import { executeRevoke } from "@/lib/consent/revoke/execute";
import { everythingGranted, planRevoke } from "@/lib/consent/revoke/plan";
import type { GraphSession } from "@/lib/graph/client";
import {
  permissionSummaryLines,
  portalUrl,
  recertificationOverdueMessage,
  recertificationReminderMessage,
  recertificationRevokedMessage,
  recertificationWarningMessage,
  revocationProposedMessage,
  type Message,
  type RecertificationFacts,
} from "@/lib/notifications/messages";
import type { NotificationKind, Outbox } from "@/lib/notifications/outbox";
import { ENTRA_ROLES } from "@/lib/roles";
import { actionsDue, addDays, nextDueAt, revocationAt, stateOf, syncRow, unusedFor, type ScheduleAction } from "./schedule";

/**
 * Recertification against the database, the outbox and Graph, with everything it acts through passed in
 * (the portal wires its own in index.ts; tests their database, sink and simulated tenant) and the clock
 * an argument. Every reminder, overdue notice, warning, automatic revocation, attestation and settings
 * change is an audit event; a notice is written to the outbox in the same transaction that marks it sent
 * for this due date, so it goes once, however many instances run the job.
 */

export type RecertificationDeps = {
  prisma: PrismaClient;
  audit: AuditLog;
  outbox: Outbox;
  /** Graph as the portal itself (app-only), for the automatic revocation. */
  graph: () => GraphSession;
  engine: ChangeEngine;
  /** The portal, as the actor of what nobody in particular caused. */
  actor: AuditActor;
  /** Where the mails' links point (AUTH_URL). */
  origin: string;
  tenantId: string;
  /** No sign-in for this many days: the task proposes revocation instead of re-attestation. */
  unusedAfterDays: number;
  /** Records the emptied baseline after an automatic revocation (lib/baseline/store's saveBaseline), so drift does not report it. */
  recordRevokedBaseline?: (app: { appId: string; displayName: string }) => Promise<void>;
};

export type RecertificationRow = Awaited<ReturnType<PrismaClient["appRecertification"]["findUniqueOrThrow"]>>;
export type AttestationRow = Awaited<ReturnType<PrismaClient["attestation"]["findUniqueOrThrow"]>>;

const NO_REQUEST: AuditRequestContext = { clientIp: null, userAgent: null };

/**
 * The app-only identity removing consent: with AppRoleAssignment.ReadWrite.All and
 * DelegatedPermissionGrant.ReadWrite.All as application permissions it may remove any grant, as a
 * Privileged Role Administrator may; the revoke plan's role checks are asked for that capability.
 */
const APP_ONLY_REVOKE_CAPABILITY = [ENTRA_ROLES.privilegedRoleAdministrator] as const;

async function policyMap(prisma: PrismaClient): Promise<Map<string, number>> {
  return new Map((await prisma.recertificationPolicy.findMany()).map((p) => [p.riskLevel, p.periodDays]));
}

export type ScannedApp = { riskLevel: string; lastSignIn: Date | null };

/** The latest completed inventory scan's view of these apps: risk level and last sign-in. */
export async function scannedApps(prisma: PrismaClient, tenantId: string, appIds: readonly string[]): Promise<Map<string, ScannedApp>> {
  const scan = await prisma.inventoryScan.findFirst({ where: { tenantId, status: "completed" }, orderBy: { startedAt: "desc" }, select: { id: true } });
  if (!scan || appIds.length === 0) return new Map();
  const rows = await prisma.inventoryApp.findMany({ where: { scanId: scan.id, appId: { in: [...appIds] } }, select: { appId: true, riskLevel: true, lastSignIn: true } });
  return new Map(rows.map((r) => [r.appId.toLowerCase(), { riskLevel: r.riskLevel, lastSignIn: r.lastSignIn }]));
}

/** One AppRecertification row per app with a baseline, its risk level and due date brought up to date. */
export async function syncRecertifications(deps: Pick<RecertificationDeps, "prisma" | "tenantId">): Promise<RecertificationRow[]> {
  const { prisma } = deps;
  const [baselines, existing, policies] = await Promise.all([prisma.appBaseline.findMany(), prisma.appRecertification.findMany(), policyMap(prisma)]);
  const byApp = new Map(existing.map((row) => [row.appId, row]));
  const scanned = await scannedApps(prisma, deps.tenantId, baselines.map((b) => b.appId));
  const rows: RecertificationRow[] = [];
  for (const baseline of baselines) {
    const row = byApp.get(baseline.appId) ?? null;
    const next = syncRow({
      baseline: { appId: baseline.appId, displayName: baseline.displayName, permissions: baseline.permissions as unknown as BaselinePermission[], approvedAt: baseline.approvedAt },
      existing: row,
      scannedRiskLevel: scanned.get(baseline.appId)?.riskLevel ?? null,
      policies,
    });
    const unchanged =
      row &&
      row.displayName === baseline.displayName &&
      row.riskLevel === next.riskLevel &&
      row.dueAt.getTime() === next.dueAt.getTime() &&
      (row.revokedAt?.getTime() ?? null) === (next.revokedAt?.getTime() ?? null);
    if (unchanged) {
      rows.push(row);
      continue;
    }
    const notices = next.resetNotices || (row?.revokedAt && !next.revokedAt) ? { remindedAt: null, overdueNotifiedAt: null, warnedAt: null } : {};
    const data = { displayName: baseline.displayName, riskLevel: next.riskLevel, dueAt: next.dueAt, revokedAt: next.revokedAt, ...notices };
    rows.push(await prisma.appRecertification.upsert({ where: { appId: baseline.appId }, create: { appId: baseline.appId, ...data }, update: data }));
  }
  return rows;
}

/** The baseline's permissions in the shape the notification summary counts by risk. */
function permissionsOf(permissions: readonly BaselinePermission[]) {
  const byApi = new Map<string, { resourceAppId: string; scopes: string[]; appRoles: string[] }>();
  for (const p of permissions) {
    const api = byApi.get(p.resourceAppId) ?? { resourceAppId: p.resourceAppId, scopes: [], appRoles: [] };
    const list = p.consentType === "Application" ? api.appRoles : api.scopes;
    if (!list.some((v) => v.toLowerCase() === p.value.toLowerCase())) list.push(p.value);
    byApi.set(p.resourceAppId, api);
  }
  return [...byApi.values()];
}

export const attestLink = (origin: string, appId: string, dueAt: Date) => portalUrl(origin, `/attest/${appId}?due=${dueAt.toISOString().slice(0, 10)}`);
export const recertificationLink = (origin: string, appId: string) => portalUrl(origin, `/review/recertification?app=${appId}`);

async function factsOf(deps: RecertificationDeps, row: RecertificationRow, now: Date): Promise<RecertificationFacts> {
  const baseline = await deps.prisma.appBaseline.findUnique({ where: { appId: row.appId }, select: { permissions: true } });
  const scanned = (await scannedApps(deps.prisma, deps.tenantId, [row.appId])).get(row.appId);
  return {
    appName: row.displayName,
    ownerName: row.ownerName,
    dueAt: row.dueAt,
    permissionLines: permissionSummaryLines(permissionsOf((baseline?.permissions ?? []) as unknown as BaselinePermission[])),
    unusedDays: unusedFor(scanned?.lastSignIn ?? null, deps.unusedAfterDays, now),
    revokesAt: revocationAt(row),
    attestUrl: attestLink(deps.origin, row.appId, row.dueAt),
  };
}

const FLAG: Record<Exclude<ScheduleAction, "revoke">, "remindedAt" | "overdueNotifiedAt" | "warnedAt"> = { remind: "remindedAt", overdue: "overdueNotifiedAt", warn: "warnedAt" };
const KIND: Record<Exclude<ScheduleAction, "revoke">, NotificationKind> = { remind: "recert.reminder", overdue: "recert.overdue", warn: "recert.warning" };
const ACTION: Record<Exclude<ScheduleAction, "revoke">, string> = { remind: "recertification.reminder", overdue: "recertification.overdue", warn: "recertification.warning" };

/**
 * Enqueues `message` about the app: to its named owner by mail, and — for the reminder only when there
 * is no owner; for the other notices always — to the reviewers (and the team channel). Returns the ids.
 */
async function enqueueNotice(
  deps: RecertificationDeps,
  tx: Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0],
  row: RecertificationRow,
  kind: NotificationKind,
  message: Message,
  actor: AuditActor,
): Promise<{ ids: string[]; audiences: string[] }> {
  const common = { kind, requestId: null, appId: row.appId, appName: row.displayName, message, actor };
  const ids: string[] = [];
  const audiences: string[] = [];
  const hasOwner = row.ownerOid !== null;
  if (hasOwner) {
    ids.push(...(await deps.outbox.enqueue(tx, { ...common, audience: "owner", subjectOid: row.ownerOid, subjectUpn: row.ownerUpn, only: kind === "recert.reminder" ? undefined : ["email"] })));
    audiences.push(`owner ${row.ownerUpn ?? row.ownerOid}`);
  }
  if (!hasOwner || kind !== "recert.reminder") {
    ids.push(...(await deps.outbox.enqueue(tx, { ...common, audience: "reviewers" })));
    audiences.push("reviewers");
  }
  return { ids, audiences };
}

/**
 * One notice (reminder, overdue, warning) for the app's current due date, audited; `force` (an admin's
 * "send the reminder now") sends it even when one went already. False when another run sent it first.
 */
export async function sendNotice(
  deps: RecertificationDeps,
  row: RecertificationRow,
  action: Exclude<ScheduleAction, "revoke">,
  now: Date,
  by: { actor: AuditActor; context: AuditRequestContext; force?: boolean } = { actor: deps.actor, context: NO_REQUEST },
): Promise<boolean> {
  const facts = await factsOf(deps, row, now);
  const message =
    action === "remind"
      ? recertificationReminderMessage(facts)
      : action === "overdue"
        ? recertificationOverdueMessage(facts)
        : recertificationWarningMessage({ ...facts, revokesAt: revocationAt({ ...row, warnedAt: now }) ?? addDays(now, row.warnDays) });
  const flag = FLAG[action];
  const sent = await deps.audit.withAudit(
    {
      actor: by.actor,
      context: by.context,
      action: ACTION[action],
      target: { type: "app", appId: row.appId, name: row.displayName },
      before: { dueAt: row.dueAt.toISOString(), state: stateOf(row, now), [flag]: row[flag]?.toISOString() ?? null },
      justification: facts.unusedDays !== null ? `No sign-in for ${facts.unusedDays} days: revocation proposed instead of re-attestation.` : null,
    },
    async () => {
      const result = await deps.prisma.$transaction(async (tx) => {
        // Marks the notice sent for this due date; another instance that got here first leaves nothing to do.
        const claimed = await tx.appRecertification.updateMany({
          where: { appId: row.appId, dueAt: row.dueAt, ...(by.force ? {} : { [flag]: null }) },
          data: { [flag]: now },
        });
        if (claimed.count === 0) return null;
        return enqueueNotice(deps, tx, row, KIND[action], message, by.actor);
      });
      return {
        result,
        after: result
          ? { dueAt: row.dueAt.toISOString(), [flag]: now.toISOString(), subject: message.subject, audiences: result.audiences, notifications: result.ids.length, unusedDays: facts.unusedDays, attestUrl: facts.attestUrl }
          : { skipped: "already sent for this due date" },
        outcome: "succeeded" as const,
        graphRequestIds: [],
      };
    },
  );
  if (!sent) return false;
  await deps.outbox.deliver(sent.ids).catch(() => undefined); // a failed delivery stays pending for the notifications job
  return true;
}

/**
 * Revokes everything the app holds (tenant-wide scopes, application permissions, users' own consent)
 * through the revoke wizard's plan and the change engine, as the portal itself; the service principal
 * stays, so an admin can grant again. Audited as a whole ("recertification.revoke") around the engine's
 * own event per step. Marked revoked only when every step ended done or unchanged.
 */
export async function revokeAutomatically(deps: RecertificationDeps, row: RecertificationRow, now: Date): Promise<{ revoked: boolean; steps: StepResult[] }> {
  const graph = deps.graph();
  const correlationId = crypto.randomUUID();
  const justification = `Automatic revocation: the re-attestation due on ${row.dueAt.toISOString().slice(0, 10)} is overdue, and the admins chose automatic revocation for this app.`;
  const outcome = await deps.audit.withAudit(
    {
      actor: deps.actor,
      context: NO_REQUEST,
      action: "recertification.revoke",
      target: { type: "app", appId: row.appId, name: row.displayName },
      before: { dueAt: row.dueAt.toISOString(), warnedAt: row.warnedAt?.toISOString() ?? null, graceDays: row.graceDays, warnDays: row.warnDays },
      justification,
      correlationId,
    },
    async () => {
      const state = await readAppState(graph, row.appId);
      const plan = planRevoke({ selection: everythingGranted(state), state, adminWids: APP_ONLY_REVOKE_CAPABILITY });
      const steps = await executeRevoke({ graph, actor: deps.actor, request: NO_REQUEST, justification, engine: deps.engine, appId: row.appId }, plan, row.displayName);
      const revoked = steps.every((s) => s.status === "done" || s.status === "unchanged");
      return {
        result: { revoked, steps },
        after: { revoked, steps: steps.map((s) => ({ label: s.label, status: s.status, detail: s.detail })) },
        outcome: revoked ? ("succeeded" as const) : ("partial" as const),
        graphRequestIds: [],
      };
    },
  );
  if (!outcome.revoked) return outcome;
  await deps.prisma.appRecertification.update({ where: { appId: row.appId }, data: { revokedAt: now } });
  if (deps.recordRevokedBaseline) await deps.recordRevokedBaseline({ appId: row.appId, displayName: row.displayName });
  const message = recertificationRevokedMessage({
    appName: row.displayName,
    dueAt: row.dueAt,
    revokedAt: now,
    steps: outcome.steps.map((s) => `${s.label}: ${s.detail}`),
    outcome: "revoked",
    appUrl: recertificationLink(deps.origin, row.appId),
  });
  const ids = await deps.prisma.$transaction((tx) => enqueueNotice(deps, tx, row, "recert.revoked", message, deps.actor));
  await deps.outbox.deliver(ids.ids).catch(() => undefined);
  return outcome;
}

export type RecertificationReport = { apps: number; reminded: number; overdue: number; warned: number; revoked: number; failed: number };

/** The job: brings the rows up to date, then for each app does what its schedule says is due now. */
export async function runRecertification(deps: RecertificationDeps, now: Date): Promise<RecertificationReport> {
  const rows = await syncRecertifications(deps);
  const report: RecertificationReport = { apps: rows.length, reminded: 0, overdue: 0, warned: 0, revoked: 0, failed: 0 };
  for (const row of rows) {
    let current = row;
    for (const action of actionsDue(current, now)) {
      try {
        if (action === "revoke") {
          const { revoked } = await revokeAutomatically(deps, current, now);
          if (revoked) report.revoked += 1;
          else report.failed += 1;
          continue;
        }
        if (await sendNotice(deps, current, action, now)) report[action === "remind" ? "reminded" : action === "overdue" ? "overdue" : "warned"] += 1;
        current = { ...current, [FLAG[action]]: now };
      } catch (error) {
        // One app's failure (Graph down, audit unavailable) must not keep the others from their notices.
        report.failed += 1;
        console.error(`recertification: ${action} for app ${row.appId} failed (${error instanceof Error ? error.name : "error"}); the next run tries again.`);
      }
    }
  }
  return report;
}

export type AttestDecision = "attested" | "revoke-requested";

/**
 * An attestation by its owner, a reviewer or an admin: an Attestation row and its audit event. "Still
 * needed" sets the next due date from now and clears the notices of the old one; "no longer needed"
 * leaves the schedule as it is and proposes the revocation to the admins: the dashboard lists it, and the
 * reviewers hear of it (mail, team channel) from a notice written in the attestation's own transaction.
 */
export async function recordAttestation(
  deps: Pick<RecertificationDeps, "prisma" | "audit" | "outbox" | "origin">,
  input: { appId: string; decision: AttestDecision; note: string },
  by: { actor: AuditActor; context: AuditRequestContext },
  now: Date,
): Promise<{ attestation: AttestationRow; dueAt: Date; notified: boolean }> {
  const row = await deps.prisma.appRecertification.findUniqueOrThrow({ where: { appId: input.appId } });
  const baseline = await deps.prisma.appBaseline.findUniqueOrThrow({ where: { appId: input.appId } });
  const policies = await policyMap(deps.prisma);
  const dueAt = input.decision === "attested" ? nextDueAt(now, row.riskLevel, row.periodDays, policies) : row.dueAt;
  const proposal =
    input.decision === "revoke-requested"
      ? revocationProposedMessage({
          appName: row.displayName,
          proposedBy: `${by.actor.name} (${by.actor.upn})`,
          note: input.note,
          permissionLines: permissionSummaryLines(permissionsOf(baseline.permissions as unknown as BaselinePermission[])),
          revokeUrl: portalUrl(deps.origin, `/admin/apps/${row.appId}/revoke`),
          dashboardUrl: recertificationLink(deps.origin, row.appId),
        })
      : null;
  const recorded = await deps.audit.withAudit(
    {
      actor: by.actor,
      context: by.context,
      action: input.decision === "attested" ? "recertification.attest" : "recertification.proposeRevocation",
      target: { type: "app", appId: row.appId, name: row.displayName },
      before: { dueAt: row.dueAt.toISOString(), lastAttestedAt: row.lastAttestedAt?.toISOString() ?? null, lastAttestedByUpn: row.lastAttestedByUpn },
      justification: input.note || null,
    },
    async () => {
      const attestation = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.attestation.create({
          data: {
            appId: row.appId,
            decision: input.decision,
            note: input.note,
            permissions: baseline.permissions as object,
            attestedByOid: by.actor.oid,
            attestedByUpn: by.actor.upn,
            attestedByName: by.actor.name,
            createdAt: now,
          },
        });
        if (input.decision === "attested") {
          await tx.appRecertification.update({
            where: { appId: row.appId },
            data: { dueAt, lastAttestedAt: now, lastAttestedByUpn: by.actor.upn, remindedAt: null, overdueNotifiedAt: null, warnedAt: null },
          });
        }
        const notices = proposal
          ? await deps.outbox.enqueue(tx, { kind: "recert.revocationProposed", audience: "reviewers", requestId: null, appId: row.appId, appName: row.displayName, message: proposal, actor: by.actor })
          : [];
        return { created, notices };
      });
      return {
        result: { attestation: attestation.created, dueAt, notices: attestation.notices },
        after: {
          attestationId: attestation.created.id,
          decision: input.decision,
          dueAt: dueAt.toISOString(),
          permissions: baseline.permissions,
          baselineVersion: baseline.version,
          ...(proposal ? { notifications: attestation.notices.length } : {}),
        },
        outcome: "succeeded" as const,
        graphRequestIds: [],
      };
    },
  );
  await deps.outbox.deliver(recorded.notices).catch(() => undefined); // a failed delivery stays pending for the notifications job
  return { attestation: recorded.attestation, dueAt: recorded.dueAt, notified: recorded.notices.length > 0 };
}

export type AppSettings = {
  owner: { oid: string; upn: string; name: string; mail: string | null } | null;
  periodDays: number | null;
  autoRevoke: boolean;
  warnDays: number;
  graceDays: number;
};

/** An admin's per-app settings, audited with before and after; the due date follows a changed period at the next sync. */
export async function updateAppSettings(
  deps: Pick<RecertificationDeps, "prisma" | "audit" | "tenantId">,
  appId: string,
  settings: AppSettings,
  by: { actor: AuditActor; context: AuditRequestContext; justification: string },
): Promise<RecertificationRow> {
  const row = await deps.prisma.appRecertification.findUniqueOrThrow({ where: { appId } });
  const view = (r: Pick<RecertificationRow, "ownerUpn" | "periodDays" | "autoRevoke" | "warnDays" | "graceDays">) => ({
    owner: r.ownerUpn,
    periodDays: r.periodDays,
    autoRevoke: r.autoRevoke,
    warnDays: r.warnDays,
    graceDays: r.graceDays,
  });
  return deps.audit.withAudit(
    { actor: by.actor, context: by.context, action: "recertification.settings", target: { type: "app", appId, name: row.displayName }, before: view(row), justification: by.justification },
    async () => {
      await deps.prisma.appRecertification.update({
        where: { appId },
        data: {
          ownerOid: settings.owner?.oid ?? null,
          ownerUpn: settings.owner?.upn ?? null,
          ownerName: settings.owner?.name ?? null,
          ownerMail: settings.owner?.mail ?? null,
          periodDays: settings.periodDays,
          autoRevoke: settings.autoRevoke,
          warnDays: settings.warnDays,
          graceDays: settings.graceDays,
        },
      });
      const [updated] = (await syncRecertifications(deps)).filter((r) => r.appId === appId);
      const saved = updated ?? (await deps.prisma.appRecertification.findUniqueOrThrow({ where: { appId } }));
      return { result: saved, after: { ...view(saved), dueAt: saved.dueAt.toISOString() }, outcome: "succeeded" as const, graphRequestIds: [] };
    },
  );
}

/** An admin's period per risk level (RecertificationPolicy), audited; null removes the level's row (its default applies again). */
export async function updatePolicies(
  deps: Pick<RecertificationDeps, "prisma" | "audit" | "tenantId">,
  periods: Record<string, number | null>,
  by: { actor: AuditActor; context: AuditRequestContext; justification: string },
): Promise<void> {
  const before = Object.fromEntries((await deps.prisma.recertificationPolicy.findMany()).map((p) => [p.riskLevel, p.periodDays]));
  await deps.audit.withAudit(
    { actor: by.actor, context: by.context, action: "recertification.policy", target: { type: "policy", name: "Recertification periods" }, before, justification: by.justification },
    async () => {
      await deps.prisma.$transaction(async (tx) => {
        for (const [riskLevel, periodDays] of Object.entries(periods)) {
          if (periodDays === null) await tx.recertificationPolicy.deleteMany({ where: { riskLevel } });
          else await tx.recertificationPolicy.upsert({ where: { riskLevel }, create: { riskLevel, periodDays, updatedByUpn: by.actor.upn }, update: { periodDays, updatedByUpn: by.actor.upn, updatedAt: new Date() } });
        }
      });
      await syncRecertifications(deps);
      const after = Object.fromEntries((await deps.prisma.recertificationPolicy.findMany()).map((p) => [p.riskLevel, p.periodDays]));
      return { result: undefined, after, outcome: "succeeded" as const, graphRequestIds: [] };
    },
  );
}
