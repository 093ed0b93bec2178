import "server-only";
import { after } from "next/server";
import type { Prisma } from "@/generated/prisma/client";
import { recordEvent, type AuditActor } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { notificationSettings, type NotificationSettings } from "./config";
import { entraRequestDeniedMessage, requestCreatedMessage, requestDecidedMessage, type DecisionFacts, type EntraDenialFacts, type RequestFacts } from "./messages";
import { createOutbox, type DeliveryReport, type Outbox } from "./outbox";
import { lookupFailure, requesterAddress, reviewerAddresses } from "./recipients";
import { enqueueDailyReminder } from "./reminders";
import { smtpTransport, webhookTransport } from "./transports";

/**
 * Notifications of approval requests: reviewers hear of a new request, the requester of the decision,
 * and (with NOTIFY_REMINDER_HOUR) reviewers of requests waiting longer than a day. By e-mail (SMTP) and
 * to a Teams or Slack incoming webhook, whichever are configured; with neither, nothing is enqueued.
 */

type Tx = Prisma.TransactionClient;

const globalForNotifications = globalThis as unknown as { notificationOutbox?: { outbox: Outbox; settings: NotificationSettings } };

function current(): { outbox: Outbox; settings: NotificationSettings } {
  if (!globalForNotifications.notificationOutbox) {
    const settings = notificationSettings(env());
    const outbox = createOutbox({
      prisma: db(),
      recordEvent,
      email: settings.smtp ? smtpTransport(settings.smtp) : null,
      webhook: settings.webhookUrl ? webhookTransport(settings.webhookUrl) : null,
      recipients: {
        reviewers: async () => (await reviewerAddresses(appOnlyGraph().client).catch((error: unknown) => Promise.reject(lookupFailure(error)))).addresses,
        requester: (oid) => requesterAddress(appOnlyGraph().client, oid).catch((error: unknown) => Promise.reject(lookupFailure(error))),
      },
    });
    globalForNotifications.notificationOutbox = { outbox, settings };
  }
  return globalForNotifications.notificationOutbox;
}

/** The origin links point at; lib/env.ts requires AUTH_URL whenever a channel is configured. */
const origin = (settings: NotificationSettings) => settings.origin ?? "http://localhost:3000";

/** The outbox and the origin links point at, for notices other than requests' (recertification). */
export function notificationOutbox(): { outbox: Outbox; origin: string } {
  const { outbox, settings } = current();
  return { outbox, origin: origin(settings) };
}

/** Inside the request's own transaction: tells the reviewers. Returns the notification ids to deliver after commit. */
export async function enqueueRequestCreated(tx: Tx, request: RequestFacts & { appId: string }, actor: AuditActor): Promise<string[]> {
  const { outbox, settings } = current();
  return outbox.enqueue(tx, {
    kind: "request.created",
    audience: "reviewers",
    requestId: request.id,
    appId: request.appId,
    appName: request.appName,
    message: requestCreatedMessage(request, origin(settings)),
    actor,
  });
}

/** Inside the decision's own transaction: tells the requester (and the team channel). */
export async function enqueueRequestDecided(tx: Tx, decision: DecisionFacts & { appId: string; requesterOid: string }, actor: AuditActor): Promise<string[]> {
  const { outbox, settings } = current();
  return outbox.enqueue(tx, {
    kind: "request.decided",
    audience: "requester",
    requestId: decision.id,
    appId: decision.appId,
    appName: decision.appName,
    subjectOid: decision.requesterOid,
    subjectUpn: decision.requesterUpn,
    message: requestDecidedMessage(decision, origin(settings)),
    actor,
  });
}

/**
 * Inside the denial's transaction: one mail to each person who asked in Entra, and one post to the
 * team channel for the denial as a whole.
 */
export async function enqueueEntraRequestDenied(
  tx: Tx,
  denial: Omit<EntraDenialFacts, "requesterCount"> & { appId: string; requesters: { oid: string; upn: string }[] },
  actor: AuditActor,
): Promise<string[]> {
  const { outbox, settings } = current();
  const message = entraRequestDeniedMessage({ ...denial, requesterCount: denial.requesters.length }, origin(settings));
  const common = { kind: "entraRequest.denied" as const, audience: "requester" as const, requestId: null, appId: denial.appId, appName: denial.appName, message, actor };
  const ids: string[] = [];
  for (const requester of denial.requesters) {
    ids.push(...(await outbox.enqueue(tx, { ...common, subjectOid: requester.oid, subjectUpn: requester.upn, only: ["email"] })));
  }
  ids.push(...(await outbox.enqueue(tx, { ...common, only: ["webhook"] })));
  return ids;
}

const describe = (error: unknown) => (error instanceof Error ? error.name : "error");

/**
 * Delivers just-committed notifications once the response is on its way (Next's `after`), so the
 * person does not wait for the mail server; outside a request (scripts, tests) right away. A failure
 * here only delays them: the rows stay pending for the background job.
 */
export function deliverSoon(ids: readonly string[]): void {
  if (ids.length === 0) return;
  const run = () =>
    current()
      .outbox.deliver(ids)
      .then(
        () => undefined,
        (error: unknown) => console.error(`notifications: immediate delivery stopped (${describe(error)}); the background job retries.`),
      );
  try {
    after(run);
  } catch {
    void run();
  }
}

/** The portal itself, as the actor of reminders nobody in particular caused. */
function portalActor(): AuditActor {
  return { oid: "00000000-0000-0000-0000-000000000000", tid: env().tenant.tenantId, upn: "portal", name: "Admin Consent Portal (daily reminder)", roles: ["portal"] };
}

/**
 * The background job (every minute): the daily reminder when its hour has come, every notification
 * whose next attempt is due, and audit events that could not be written at delivery time.
 */
export async function deliverPendingNotifications(): Promise<DeliveryReport> {
  const { outbox, settings } = current();
  await enqueueDailyReminder({ prisma: db(), outbox, origin: origin(settings), hourUtc: settings.reminderHourUtc, actor: portalActor() }, new Date());
  return outbox.deliverPending();
}

export type NotificationStatus = { id: string; channel: string; audience: string; kind: string; status: string; attempts: number; recipients: string[]; lastError: string | null; sentAt: Date | null };

/** The notifications of one request, newest first, for the admin's request list. */
export async function notificationsOf(requestIds: readonly string[]): Promise<Map<string, NotificationStatus[]>> {
  const rows = await db().notification.findMany({
    where: { requestId: { in: [...requestIds] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, requestId: true, channel: true, audience: true, kind: true, status: true, attempts: true, recipients: true, lastError: true, sentAt: true },
  });
  const out = new Map<string, NotificationStatus[]>();
  for (const { requestId, ...row } of rows) if (requestId) out.set(requestId, [...(out.get(requestId) ?? []), row]);
  return out;
}
