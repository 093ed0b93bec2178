import "server-only";
import type { PrismaClient } from "@/generated/prisma/client";
import type { AuditActor } from "@/lib/audit/audit-log";
import { reminderMessage } from "./messages";
import type { Outbox } from "./outbox";

const DAY_MS = 86_400_000;

/**
 * The daily reminder: at `hourUtc`, one message to the reviewers listing the requests open longer than a
 * day. Run every minute by the job; the dedupe key makes it once a day across minutes and instances.
 * Returns the notification ids to deliver (none outside the hour, with nothing waiting, or when sent already).
 */
export async function enqueueDailyReminder(
  deps: { prisma: PrismaClient; outbox: Outbox; origin: string; hourUtc: number | null; actor: AuditActor },
  at: Date,
): Promise<string[]> {
  if (deps.hourUtc === null || at.getUTCHours() !== deps.hourUtc || deps.outbox.channels().length === 0) return [];
  const day = at.toISOString().slice(0, 10);
  const already = await deps.prisma.notification.count({ where: { dedupeKey: { startsWith: `reminder:${day}:` } } });
  if (already > 0) return [];
  const open = await deps.prisma.consentRequest.findMany({
    where: { status: "open", createdAt: { lt: new Date(at.getTime() - DAY_MS) } },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { appName: true, requesterName: true, createdAt: true },
  });
  if (open.length === 0) return [];
  return deps.prisma.$transaction((tx) =>
    deps.outbox.enqueue(tx, {
      kind: "request.reminder",
      audience: "reviewers",
      requestId: null,
      appId: null,
      appName: null,
      message: reminderMessage(open, deps.origin, at),
      actor: deps.actor,
      dedupeKey: `reminder:${day}`,
    }),
  );
}
