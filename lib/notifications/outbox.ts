import "server-only";
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/generated/prisma/client";
import type { AuditActor, RecordEventInput } from "@/lib/audit/audit-log";
import type { Message } from "./messages";
import { DeliveryError, type EmailTransport, type SentReceipt, type WebhookTransport } from "./transports";

/**
 * The durable outbox. A notification is a row written in the same transaction as the request or
 * decision it tells about, so neither exists without the other; it is delivered right after commit and,
 * when delivery fails, retried with exponential backoff by the background job until it is sent or runs
 * out of attempts. Each final outcome (sent, or failed for good) is one audit event. Rows are claimed
 * with a lease, so the immediate delivery, the job and other portal instances never send one twice.
 */

export type Channel = "email" | "webhook";
/** "owner": the app's named owner (recertification), looked up by subjectOid like the requester. */
export type Audience = "reviewers" | "requester" | "owner";
export type NotificationKind =
  | "request.created"
  | "request.decided"
  | "request.reminder"
  | "entraRequest.denied"
  | "recert.reminder"
  | "recert.overdue"
  | "recert.warning"
  | "recert.revoked"
  | "recert.revocationProposed"
  | "drift.detected";

export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; leaseMs: number };
/** 30 s, 1, 2, 4 … minutes, at most an hour apart: ten attempts span about three hours. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 3_600_000, leaseMs: 120_000 };

export function backoffMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
}

export type NewNotification = {
  kind: NotificationKind;
  audience: Audience;
  requestId: string | null;
  appId: string | null;
  appName: string | null;
  /** Whose address to look up for the requester audience. */
  subjectOid?: string | null;
  subjectUpn?: string | null;
  message: Message;
  actor: AuditActor;
  /** One row per key and channel, ever (reminders). */
  dedupeKey?: string;
  /** Only these of the configured channels (e.g. one mail per person, but one post to the team). */
  only?: Channel[];
};

export type OutboxDeps = {
  prisma: PrismaClient;
  recordEvent: (event: RecordEventInput) => Promise<unknown>;
  email: EmailTransport | null;
  webhook: WebhookTransport | null;
  recipients: { reviewers: () => Promise<string[]>; requester: (oid: string) => Promise<string | null> };
  policy?: RetryPolicy;
  now?: () => Date;
};

export type DeliveryReport = { sent: number; retrying: number; failed: number; audited: number };
type Tx = Prisma.TransactionClient;
type Row = Awaited<ReturnType<PrismaClient["notification"]["findUniqueOrThrow"]>>;

const actorSchema = z.object({ oid: z.string(), tid: z.string(), upn: z.string(), name: z.string(), roles: z.array(z.string()) });
const NO_REQUEST_CONTEXT = { clientIp: null, userAgent: null };

export function createOutbox(deps: OutboxDeps) {
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  const now = deps.now ?? (() => new Date());
  const { prisma } = deps;

  const channels = (): Channel[] => [...(deps.email ? (["email"] as const) : []), ...(deps.webhook ? (["webhook"] as const) : [])];

  /** Writes one row per configured channel inside `tx`; returns their ids (none when nothing is configured). */
  async function enqueue(tx: Tx, notification: NewNotification): Promise<string[]> {
    const ids: string[] = [];
    for (const channel of channels().filter((c) => !notification.only || notification.only.includes(c))) {
      const { message } = notification;
      const data = {
        kind: notification.kind,
        channel,
        audience: notification.audience,
        requestId: notification.requestId,
        appId: notification.appId,
        appName: notification.appName,
        subjectOid: notification.subjectOid ?? null,
        subjectUpn: notification.subjectUpn ?? null,
        subject: message.subject,
        text: channel === "email" ? message.text : message.webhookText,
        html: channel === "email" ? message.html : null,
        actor: notification.actor,
        dedupeKey: notification.dedupeKey ? `${notification.dedupeKey}:${channel}` : null,
        // The portal's clock, not the database's: due-ness is always judged by the portal's (no skew).
        nextAttemptAt: now(),
      };
      if (data.dedupeKey) {
        // Another instance may have enqueued the same reminder: keep theirs.
        const created = await tx.notification.createMany({ data, skipDuplicates: true });
        if (created.count === 0) continue;
        const row = await tx.notification.findUniqueOrThrow({ where: { dedupeKey: data.dedupeKey }, select: { id: true } });
        ids.push(row.id);
      } else {
        ids.push((await tx.notification.create({ data, select: { id: true } })).id);
      }
    }
    return ids;
  }

  /** Takes the row for this process for one lease; false when it is not due or someone else has it. */
  async function claim(id: string, at: Date): Promise<boolean> {
    const claimed = await prisma.notification.updateMany({
      where: { id, status: "pending", nextAttemptAt: { lte: at }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
      data: { lockedUntil: new Date(at.getTime() + policy.leaseMs) },
    });
    return claimed.count === 1;
  }

  async function resolveRecipients(row: Row): Promise<string[]> {
    let addresses: string[];
    try {
      if (row.audience === "reviewers") addresses = await deps.recipients.reviewers();
      else {
        const address = row.subjectOid ? await deps.recipients.requester(row.subjectOid) : null;
        addresses = address ? [address] : [];
      }
    } catch (error) {
      throw error instanceof DeliveryError ? error : new DeliveryError(`Looking up the recipients failed: ${error instanceof Error ? error.message : "error"}`.slice(0, 300));
    }
    if (addresses.length === 0) {
      const who = row.audience === "reviewers" ? "No reviewer with a mail address was found in the directory." : `The ${row.audience === "owner" ? "app's owner" : "requester"} has no mail address in the directory.`;
      throw new DeliveryError(who, true);
    }
    return addresses;
  }

  async function send(row: Row): Promise<{ recipients: string[]; receipt: SentReceipt | null }> {
    if (row.channel === "webhook") {
      if (!deps.webhook) throw new DeliveryError("No webhook is configured any more (NOTIFY_WEBHOOK_URL).", true);
      await deps.webhook.post(row.text);
      return { recipients: [], receipt: null };
    }
    if (!deps.email) throw new DeliveryError("E-mail is not configured any more (SMTP_URL or SMTP_HOST).", true);
    let recipients = row.recipients;
    if (!row.recipientsResolvedAt) {
      recipients = await resolveRecipients(row);
      // Kept, so every retry goes to the same people and the audit event names them.
      await prisma.notification.update({ where: { id: row.id }, data: { recipients, recipientsResolvedAt: now() } });
    }
    const receipt = await deps.email.send({ to: recipients, subject: row.subject, text: row.text, html: row.html });
    return { recipients, receipt };
  }

  /** The delivery's audit event; on failure the row stays unaudited and the job writes it later. */
  async function audit(row: Row, extra: { receipt?: SentReceipt | null } = {}): Promise<boolean> {
    try {
      const actor = actorSchema.parse(row.actor);
      await deps.recordEvent({
        actor,
        context: NO_REQUEST_CONTEXT,
        action: "notification.deliver",
        // A recertification notice is about the app itself, not a request.
        target: { type: row.kind.startsWith("recert.") ? "app" : "consentRequest", ...(row.appId ? { appId: row.appId } : {}), ...(row.requestId ? { id: row.requestId } : {}), name: row.appName ?? "open requests" },
        before: null,
        after: {
          notificationId: row.id,
          kind: row.kind,
          channel: row.channel,
          audience: row.audience,
          recipients: row.recipients,
          subject: row.subject,
          status: row.status,
          attempts: row.attempts,
          ...(extra.receipt ? { messageId: extra.receipt.messageId, rejected: extra.receipt.rejected } : {}),
          ...(row.lastError ? { error: row.lastError } : {}),
        },
        justification: null,
        outcome: row.status === "sent" ? "succeeded" : "failed",
      });
      await prisma.notification.update({ where: { id: row.id }, data: { auditedAt: now(), lockedUntil: null } });
      return true;
    } catch (error) {
      console.error(`notifications: the audit event of notification ${row.id} could not be written (${error instanceof Error ? error.name : "error"}); the job writes it later.`);
      return false;
    }
  }

  /** One attempt at one row: "sent", "retrying", "failed", or "skipped" when it is not this process's to deliver. */
  async function deliverOne(id: string): Promise<"sent" | "retrying" | "failed" | "skipped"> {
    const started = now();
    if (!(await claim(id, started))) return "skipped";
    const row = await prisma.notification.findUniqueOrThrow({ where: { id } });
    // While the audit event is written the lease stays, so the job's sweep does not write it twice.
    const auditLease = new Date(now().getTime() + policy.leaseMs);
    try {
      const { recipients, receipt } = await send(row);
      const sent = await prisma.notification.update({
        where: { id },
        data: { status: "sent", attempts: row.attempts + 1, sentAt: now(), lastError: null, recipients, lockedUntil: auditLease },
      });
      await audit(sent, { receipt });
      return "sent";
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError("The delivery failed unexpectedly.");
      const attempts = row.attempts + 1;
      const final = failure.permanent || attempts >= policy.maxAttempts;
      const updated = await prisma.notification.update({
        where: { id },
        data: final
          ? { status: "failed", attempts, lastError: failure.message, lockedUntil: auditLease }
          : { attempts, lastError: failure.message, nextAttemptAt: new Date(now().getTime() + backoffMs(attempts, policy)), lockedUntil: null },
      });
      if (!final) return "retrying";
      await audit(updated);
      return "failed";
    }
  }

  async function deliver(ids: readonly string[]): Promise<DeliveryReport> {
    const report: DeliveryReport = { sent: 0, retrying: 0, failed: 0, audited: 0 };
    for (const id of ids) {
      const outcome = await deliverOne(id);
      if (outcome !== "skipped") report[outcome] += 1;
    }
    return report;
  }

  /** Final outcomes whose audit event could not be written at the time (the audit store was down). */
  async function auditMissing(limit: number): Promise<number> {
    const at = now();
    const rows = await prisma.notification.findMany({
      where: { auditedAt: null, status: { not: "pending" }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
      orderBy: { createdAt: "asc" },
      take: limit,
    });
    let audited = 0;
    for (const row of rows) {
      const claimed = await prisma.notification.updateMany({
        where: { id: row.id, auditedAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
        data: { lockedUntil: new Date(at.getTime() + policy.leaseMs) },
      });
      if (claimed.count === 1 && (await audit(row))) audited += 1;
    }
    return audited;
  }

  /** Everything due: pending rows whose next attempt has come, then missing audit events. */
  async function deliverPending(limit = 50): Promise<DeliveryReport> {
    const at = now();
    const due = await prisma.notification.findMany({
      where: { status: "pending", nextAttemptAt: { lte: at }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
      orderBy: { nextAttemptAt: "asc" },
      take: limit,
      select: { id: true },
    });
    const report = await deliver(due.map((row) => row.id));
    report.audited = await auditMissing(limit);
    return report;
  }

  return { channels, enqueue, deliver, deliverPending, policy };
}

export type Outbox = ReturnType<typeof createOutbox>;
