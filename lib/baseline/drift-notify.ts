import type { PrismaClient } from "@/generated/prisma/client";
import type { AuditActor } from "@/lib/audit/audit-log";
import type { AuditSql } from "@/lib/audit/sql";
import { driftDetectedMessage } from "@/lib/notifications/messages";
import type { Outbox } from "@/lib/notifications/outbox";
import { markNotified, unnotifiedDrifts, type DriftRecord } from "./drift-store";

/**
 * Telling people of new drifts, once each: every open drift nobody was told of yet goes into one message
 * to the reviewers (mail and the team's webhook), and one mail to each named app owner
 * (AppRecertification.ownerOid) listing their apps' drifts. The rows are marked notified in the same
 * transaction as the messages are enqueued, so a drift is announced exactly once — by the notification job
 * after a scan, or right after a live check. With no channel configured they are marked all the same:
 * configuring mail later must not announce months-old drift.
 */
export async function enqueueDriftNotifications(
  deps: { prisma: PrismaClient; sql: AuditSql; outbox: Outbox; origin: string; actor: AuditActor; now?: () => Date },
): Promise<string[]> {
  const now = deps.now?.() ?? new Date();
  const drifts = await unnotifiedDrifts(deps.sql);
  if (drifts.length === 0) return [];
  const ids = drifts.map((d) => d.id);
  if (deps.outbox.channels().length === 0) {
    await markNotified(deps.sql, ids, now);
    return [];
  }
  const appIds = [...new Set(drifts.map((d) => d.appId))];
  const owners = await deps.prisma.appRecertification.findMany({
    where: { appId: { in: appIds }, ownerOid: { not: null } },
    select: { appId: true, ownerOid: true, ownerUpn: true },
  });
  const byOwner = new Map<string, { upn: string | null; drifts: DriftRecord[] }>();
  for (const owner of owners) {
    const entry = byOwner.get(owner.ownerOid!) ?? { upn: owner.ownerUpn, drifts: [] };
    entry.drifts.push(...drifts.filter((d) => d.appId === owner.appId));
    byOwner.set(owner.ownerOid!, entry);
  }
  const single = appIds.length === 1 ? drifts[0]! : null;
  const common = { kind: "drift.detected" as const, requestId: null, appId: single?.appId ?? null, appName: single?.appName ?? "Consent drift", actor: deps.actor };
  return deps.prisma.$transaction(async (tx) => {
    const enqueued = await deps.outbox.enqueue(tx, { ...common, audience: "reviewers", message: driftDetectedMessage(drifts, deps.origin, "reviewers") });
    for (const [oid, owner] of byOwner) {
      const theirs = owner.drifts;
      const one = new Set(theirs.map((d) => d.appId)).size === 1 ? theirs[0]! : null;
      enqueued.push(
        ...(await deps.outbox.enqueue(tx, {
          ...common,
          appId: one?.appId ?? null,
          appName: one?.appName ?? "Consent drift",
          audience: "owner",
          subjectOid: oid,
          subjectUpn: owner.upn,
          message: driftDetectedMessage(theirs, deps.origin, "owner"),
          only: ["email"],
        })),
      );
    }
    await tx.baselineDrift.updateMany({ where: { id: { in: ids } }, data: { notifiedAt: now } });
    return enqueued;
  });
}
