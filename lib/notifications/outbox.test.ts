import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/generated/prisma/client";
import { createAuditLog, type AuditActor, type AuditLog } from "@/lib/audit/audit-log";
import type pg from "pg";
import { prismaSql } from "@/lib/audit/sql";
import { portalTestDatabase, type PortalTestDatabase } from "@/lib/testing/database";
import { closedPort } from "@/lib/testing/network";
import { createMailSink, type MailSink } from "@/sim/mail/sink";
import { requestCreatedMessage } from "./messages";
import { backoffMs, createOutbox, type OutboxDeps, type RetryPolicy } from "./outbox";
import { enqueueDailyReminder } from "./reminders";
import { scrub, smtpTransport, webhookTransport, type EmailTransport } from "./transports";

// The outbox against a real database and the simulator's real SMTP sink: enqueue with the request in
// one transaction, deliver, retry with backoff while the mail server is down, give up at the cap, and
// never lose the request or its audit events along the way.

const TENANT = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";
const RILEY: AuditActor = { oid: "4f0d1e50-6172-4394-8ea5-1f2a3b4c5d65", tid: TENANT, upn: "riley.chen@contoso.onmicrosoft.com", name: "Riley Chen", roles: ["user"] };
const NYLAS = { appId: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", name: "Nylas" };
const REVIEWERS = ["alex.wilber@contoso.onmicrosoft.com", "casey.jensen@contoso.onmicrosoft.com"];
const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 600_000, leaseMs: 120_000 };

let database: PortalTestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let audit: AuditLog;
let sink: MailSink;
let sinkPort: number;
let downPort: number;
let clock: Date;
/** Where the outbox's mail goes: the sink, or a port nobody listens on (the mail server is down). */
let smtpPort: number;
let auditDown = false;

const mailer: EmailTransport = {
  send: (mail) => smtpTransport({ host: "127.0.0.1", port: smtpPort, secure: false, user: null, password: null, from: "Admin Consent Portal <consent-portal@contoso.onmicrosoft.com>" }).send(mail),
};

function outbox(overrides: Partial<OutboxDeps> = {}) {
  return createOutbox({
    prisma,
    recordEvent: (event) => (auditDown ? Promise.reject(new Error("audit store unavailable")) : audit.recordEvent(event)),
    email: mailer,
    webhook: null,
    recipients: { reviewers: async () => REVIEWERS, requester: async () => RILEY.upn },
    policy: POLICY,
    now: () => clock,
    ...overrides,
  });
}

/** As lib/self-service/requests.ts does it: the request and its notifications in one transaction, inside withAudit. */
async function createRequest(box: ReturnType<typeof outbox>, justification = "Sales mail sync <b>now</b> & then") {
  return audit.withAudit(
    { actor: RILEY, context: { clientIp: null, userAgent: "vitest" }, action: "consentRequest.create", target: { type: "consentRequest", appId: NYLAS.appId, name: NYLAS.name }, before: null, justification },
    async () => {
      const { id, notifications } = await prisma.$transaction(async (tx) => {
        const row = await tx.consentRequest.create({
          data: {
            // A requester of its own per request: one open request per person and app.
            requesterOid: randomUUID(), requesterTid: TENANT, requesterUpn: RILEY.upn, requesterName: RILEY.name, appId: NYLAS.appId, appName: NYLAS.name,
            permissions: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", scopes: ["Mail.ReadWrite"], appRoles: [] }], justification,
          },
        });
        const message = requestCreatedMessage({ ...row, permissions: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", scopes: ["Mail.ReadWrite"], appRoles: [] }] }, "http://localhost:3000");
        return { id: row.id, notifications: await box.enqueue(tx, { kind: "request.created", audience: "reviewers", requestId: row.id, appId: NYLAS.appId, appName: NYLAS.name, message, actor: RILEY }) };
      });
      return { result: { id, notifications }, after: { requestId: id, notifications }, outcome: "succeeded", graphRequestIds: [] };
    },
  );
}

const events = (action: string) => prisma.auditEvent.findMany({ where: { action }, orderBy: { seq: "asc" } });
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
const mailsAbout = (requestId: string) => sink.messages().filter((mail) => mail.text.includes(`#request-${requestId}`));

beforeAll(async () => {
  database = await portalTestDatabase("notifications");
  ({ pool, prisma } = database);
  audit = createAuditLog(prismaSql(prisma, pool));
  sink = createMailSink();
  sinkPort = await sink.listen(0);
  // Connecting to it is refused, as with a mail server that is down.
  downPort = await closedPort();
}, 120_000);

afterAll(async () => {
  await sink?.close();
  await database?.close();
});

beforeEach(async () => {
  clock = new Date();
  smtpPort = sinkPort;
  auditDown = false;
  // Each test's job runs see only that test's notifications.
  await prisma.notification.updateMany({ where: { OR: [{ status: "pending" }, { auditedAt: null }] }, data: { status: "failed", auditedAt: new Date() } });
});

describe("the notification outbox", () => {
  it("enqueues in the request's transaction: a rolled-back request leaves no notification, a committed one has its row", async () => {
    const box = outbox();
    const before = await prisma.notification.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await box.enqueue(tx, { kind: "request.created", audience: "reviewers", requestId: null, appId: null, appName: null, message: { subject: "s", text: "t", html: "h", webhookText: "w" }, actor: RILEY });
        throw new Error("the request could not be saved");
      }),
    ).rejects.toThrow("could not be saved");
    expect(await prisma.notification.count()).toBe(before);

    const { id, notifications } = await createRequest(box);
    expect(notifications).toHaveLength(1);
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: notifications[0]! } });
    expect(row).toMatchObject({ requestId: id, channel: "email", audience: "reviewers", status: "pending", attempts: 0 });
  });

  it("delivers to the reviewers through SMTP, escaped, with the link, and records the delivery as an audit event", async () => {
    const box = outbox();
    const { id, notifications } = await createRequest(box);
    expect(await box.deliver(notifications)).toMatchObject({ sent: 1, retrying: 0, failed: 0 });

    const [mail] = mailsAbout(id);
    expect(mail?.envelope.to).toEqual(REVIEWERS);
    expect(mail?.subject).toBe("Approval requested: Nylas for Riley Chen");
    expect(mail?.text).toContain("Sales mail sync <b>now</b> & then");
    expect(mail?.text).toContain(`http://localhost:3000/admin/requests#request-${id}`);
    expect(mail?.html).toContain("Sales mail sync &#60;b&#62;now&#60;/b&#62; &#38; then");
    expect(mail?.html).not.toContain("<b>now</b>");

    const row = await prisma.notification.findUniqueOrThrow({ where: { id: notifications[0]! } });
    expect(row).toMatchObject({ status: "sent", attempts: 1, recipients: REVIEWERS, lastError: null });
    expect(row.auditedAt).not.toBeNull();
    const delivered = (await events("notification.deliver")).filter((e) => e.targetId === id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ outcome: "succeeded", actorOid: RILEY.oid, targetAppId: NYLAS.appId });
    expect(delivered[0]?.after).toMatchObject({ notificationId: row.id, channel: "email", recipients: REVIEWERS, status: "sent" });

    // Delivering again sends nothing twice.
    expect(await box.deliver(notifications)).toMatchObject({ sent: 0 });
    expect(mailsAbout(id)).toHaveLength(1);
  });

  it("keeps a notification pending with exponential backoff while the mail server is down, then delivers it; the request and its audit event stay", async () => {
    smtpPort = downPort;
    const box = outbox();
    const { id, notifications } = await createRequest(box);
    const [notification] = notifications;

    expect(await box.deliver(notifications)).toMatchObject({ retrying: 1 });
    let row = await prisma.notification.findUniqueOrThrow({ where: { id: notification! } });
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toMatch(/^The mail server could not be reached/);
    expect(row.nextAttemptAt.getTime()).toBe(clock.getTime() + POLICY.baseDelayMs);

    // Not due yet: the job leaves it alone.
    expect(await box.deliverPending()).toMatchObject({ sent: 0, retrying: 0 });
    later(POLICY.baseDelayMs);
    expect(await box.deliverPending()).toMatchObject({ retrying: 1 });
    row = await prisma.notification.findUniqueOrThrow({ where: { id: notification! } });
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime()).toBe(clock.getTime() + 2 * POLICY.baseDelayMs);

    // The request and its audit events are there whatever the mail server does.
    expect(await prisma.consentRequest.findUnique({ where: { id } })).toMatchObject({ status: "open", appName: "Nylas" });
    const created = (await events("consentRequest.create")).filter((e) => (e.after as { requestId?: string } | null)?.requestId === id);
    expect(created).toHaveLength(1);
    expect(created[0]?.after).toMatchObject({ notifications });
    expect((await events("notification.deliver")).filter((e) => e.targetId === id)).toHaveLength(0);

    smtpPort = sinkPort;
    later(2 * POLICY.baseDelayMs);
    expect(await box.deliverPending()).toMatchObject({ sent: 1 });
    expect(mailsAbout(id)).toHaveLength(1);
    row = await prisma.notification.findUniqueOrThrow({ where: { id: notification! } });
    expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    const delivered = (await events("notification.deliver")).filter((e) => e.targetId === id);
    expect(delivered.map((e) => e.outcome)).toEqual(["succeeded"]);
    expect(delivered[0]?.after).toMatchObject({ attempts: 3 });
  });

  it("gives up at the attempt cap: failed, with the reason, as an audit event; the request stays", async () => {
    smtpPort = downPort;
    const box = outbox();
    const { id, notifications } = await createRequest(box);
    for (let attempt = 1; attempt <= POLICY.maxAttempts; attempt += 1) {
      await box.deliverPending();
      later(POLICY.maxDelayMs);
    }
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: notifications[0]! } });
    expect(row).toMatchObject({ status: "failed", attempts: POLICY.maxAttempts });
    await box.deliverPending();
    expect((await prisma.notification.findUniqueOrThrow({ where: { id: row.id } })).attempts).toBe(POLICY.maxAttempts);

    const failed = (await events("notification.deliver")).filter((e) => e.targetId === id);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ outcome: "failed" });
    expect(failed[0]?.after).toMatchObject({ status: "failed", attempts: POLICY.maxAttempts, error: expect.stringMatching(/could not be reached/) });
    expect(await prisma.consentRequest.findUnique({ where: { id } })).not.toBeNull();
  });

  it("fails at once, without retrying, when nobody has a mail address", async () => {
    const box = outbox({ recipients: { reviewers: async () => [], requester: async () => null } });
    const { notifications } = await createRequest(box);
    expect(await box.deliver(notifications)).toMatchObject({ failed: 1 });
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: notifications[0]! } });
    expect(row).toMatchObject({ status: "failed", attempts: 1, lastError: "No reviewer with a mail address was found in the directory." });
  });

  it("never sends one notification twice when the job and the immediate delivery race", async () => {
    const box = outbox();
    const other = outbox();
    const { id, notifications } = await createRequest(box);
    const reports = await Promise.all([box.deliver(notifications), other.deliverPending(), other.deliver(notifications)]);
    expect(reports.reduce((sum, report) => sum + report.sent, 0)).toBe(1);
    expect(mailsAbout(id)).toHaveLength(1);
  });

  it("writes a delivery's audit event later when the audit store was down at the time", async () => {
    const box = outbox();
    const { id, notifications } = await createRequest(box);
    auditDown = true;
    expect(await box.deliver(notifications)).toMatchObject({ sent: 1 });
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: notifications[0]! } });
    expect(row.auditedAt).toBeNull();
    auditDown = false;
    // The sweep waits for the delivering process's lease to end.
    expect((await box.deliverPending()).audited).toBe(0);
    later(POLICY.leaseMs + 1);
    expect((await box.deliverPending()).audited).toBeGreaterThanOrEqual(1);
    expect((await events("notification.deliver")).filter((e) => e.targetId === id).map((e) => e.outcome)).toEqual(["succeeded"]);
    expect((await box.deliverPending()).audited).toBe(0);
  });

  it("reminds the reviewers once a day, at the configured hour, of requests open longer than a day", async () => {
    const box = outbox();
    const { id } = await createRequest(box);
    const portal: AuditActor = { oid: "00000000-0000-0000-0000-000000000000", tid: TENANT, upn: "portal", name: "Admin Consent Portal (daily reminder)", roles: ["portal"] };
    // The start of the hour that begins a day after the request: the request is then more than a day old.
    const at = new Date(Date.now() + 25 * 3_600_000);
    at.setUTCMinutes(0, 0, 0);
    const deps = { prisma, outbox: box, origin: "http://localhost:3000", hourUtc: at.getUTCHours(), actor: portal };

    expect(await enqueueDailyReminder({ ...deps, hourUtc: null }, at)).toEqual([]);
    expect(await enqueueDailyReminder(deps, new Date(at.getTime() + 3_600_000))).toEqual([]);
    const ids = await enqueueDailyReminder(deps, at);
    expect(ids).toHaveLength(1);
    // Every minute of that hour, and every other instance, finds it done.
    expect(await enqueueDailyReminder(deps, new Date(at.getTime() + 60_000))).toEqual([]);

    clock = at;
    expect(await box.deliver(ids)).toMatchObject({ sent: 1 });
    const reminder = sink.messages().find((mail) => mail.subject.startsWith("Reminder:"));
    expect(reminder?.envelope.to).toEqual(REVIEWERS);
    expect(reminder?.text).toContain("Nylas for Riley Chen, waiting 1 day");
    expect(reminder?.text).toContain("http://localhost:3000/admin/requests");
    const event = (await events("notification.deliver")).find((e) => (e.after as { notificationId?: string }).notificationId === ids[0]);
    expect(event).toMatchObject({ outcome: "succeeded", actorUpn: "portal" });
    expect(await prisma.consentRequest.findUnique({ where: { id } })).toMatchObject({ status: "open" });
  });

  it("backs off exponentially up to the ceiling", () => {
    const policy = { maxAttempts: 10, baseDelayMs: 30_000, maxDelayMs: 3_600_000, leaseMs: 1 };
    expect([1, 2, 3, 4, 8, 9, 10].map((n) => backoffMs(n, policy))).toEqual([30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000]);
  });
});

describe("the webhook channel", () => {
  let server: Server;
  let url: string;
  let received: unknown[] = [];
  let answer = 200;

  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({ path: req.url, type: req.headers["content-type"], body: JSON.parse(body) as unknown });
        res.writeHead(answer).end(answer === 200 ? "ok" : "no");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/XXXXsecretXXXX`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received = [];
    answer = 200;
  });

  it("posts { text } and retries a 5xx; a 4xx (revoked URL) fails at once; errors never show the URL", async () => {
    const box = outbox({ email: null, webhook: webhookTransport(url) });
    const { id, notifications } = await createRequest(box, "Needs <!channel> & <https://evil.example|click>");
    expect(notifications).toHaveLength(1);

    answer = 503;
    expect(await box.deliver(notifications)).toMatchObject({ retrying: 1 });
    answer = 200;
    later(POLICY.baseDelayMs);
    expect(await box.deliverPending()).toMatchObject({ sent: 1 });
    const posted = received.at(-1) as { type: string; body: { text: string } };
    expect(posted.type).toBe("application/json");
    expect(posted.body.text).toContain("Approval requested: Nylas for Riley Chen");
    expect(posted.body.text).toContain("Needs &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    expect(posted.body.text).toContain(`http://localhost:3000/admin/requests#request-${id}`);

    answer = 404;
    const second = await createRequest(box);
    expect(await box.deliver(second.notifications)).toMatchObject({ failed: 1 });
    const row = await prisma.notification.findUniqueOrThrow({ where: { id: second.notifications[0]! } });
    expect(row.lastError).toBe("The webhook answered HTTP 404.");
    const stored = JSON.stringify(await prisma.notification.findMany()) + JSON.stringify(await prisma.auditEvent.findMany({ select: { after: true } }));
    expect(stored).not.toContain("XXXXsecretXXXX");
  });
});

describe("error words", () => {
  it("scrub removes passwords (plain and URL-encoded), URL credentials and tokens", () => {
    const text = scrub("535 auth failed for p@ss/word (p%40ss%2Fword) at smtp://user:p@ss@mail.contoso.com Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", ["p@ss/word"]);
    expect(text).not.toContain("p@ss/word");
    expect(text).not.toContain("p%40ss%2Fword");
    expect(text).not.toContain("eyJhbGciOiJIUzI1NiJ9");
  });
});
