import "server-only";
import { auditSql, type AuditActor } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { deliverSoon, notificationOutbox } from "@/lib/notifications";
import { checkAppsLive, type LiveCheck } from "./drift-check";
import { enqueueDriftNotifications } from "./drift-notify";
import { openDrifts, readDrift, recentlyClosedDrifts, type DriftRecord } from "./drift-store";

/**
 * Drift as the portal runs it: the live checks (an admin's "Check drift now", the scheduled drift
 * import's apps) with the portal's read-only app-only Graph client, and the notifications of what they
 * and the scans found. Pages and actions read drifts through here.
 */

/** The portal itself, as the actor of drift notices nobody in particular caused. */
function portalActor(): AuditActor {
  return { oid: "00000000-0000-0000-0000-000000000000", tid: env().tenant.tenantId, upn: "portal", name: "Admin Consent Portal (drift check)", roles: ["portal"] };
}

/**
 * Enqueues one message for the drifts nobody was told of yet (reviewers, and each app's owner) and
 * delivers it soon. Run every minute by the drift-notify job (lib/jobs/start.ts), whoever found them.
 */
export async function notifyNewDrifts(): Promise<number> {
  const { outbox, origin } = notificationOutbox();
  const ids = await enqueueDriftNotifications({ prisma: db(), sql: auditSql(), outbox, origin, actor: portalActor() });
  deliverSoon(ids);
  return ids.length;
}

/** Reads the apps' consent live and records their drift: every baselined app (and app with open drift), or the ones named. */
export async function checkDriftLive(appIds: readonly string[] | "baselined", detectedBy: "drift-import" | "check"): Promise<LiveCheck> {
  // People are told by the drift-notify job, as of a scan's drift: one path, one message per minute at most.
  return checkAppsLive(appOnlyGraph(), auditSql(), { appIds, detectedBy, now: new Date() });
}

export const listOpenDrifts = (options: { appId?: string; limit?: number } = {}): Promise<DriftRecord[]> => openDrifts(auditSql(), options);
export const listRecentlyClosedDrifts = (limit = 20): Promise<DriftRecord[]> => recentlyClosedDrifts(auditSql(), limit);
export const findDrift = (id: string): Promise<DriftRecord | null> => readDrift(auditSql(), id);

export const DRIFT_KIND_LABELS: Record<DriftRecord["kind"], string> = {
  added: "Granted outside the portal",
  removed: "Removed outside the portal",
  "unapproved-app": "App never approved",
  "publisher-unverified": "Publisher no longer verified",
};

export const DRIFT_STATUS_LABELS: Record<DriftRecord["status"], string> = {
  open: "Open",
  accepted: "Accepted into the baseline",
  reverted: "Reverted",
  resolved: "Resolved (the tenant matches again)",
};
