import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { simulatedTenantEnv } from "@/sim/portal-env";
import { notificationSettings } from "./config";
import { reminderMessage, requestDecidedMessage } from "./messages";

const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test", AUTH_SECRET: "x".repeat(32), ...simulatedTenantEnv({ login: "https://127.0.0.1:3001", graph: "https://127.0.0.1:3002" }) };
const mail = { AUTH_URL: "https://consent.contoso.com/", MAIL_FROM: "Admin Consent Portal <consent@contoso.com>" };

describe("notification settings (lib/env.ts)", () => {
  it("are off when nothing is set", () => {
    expect(notificationSettings(parseEnv(base))).toEqual({ smtp: null, webhookUrl: null, origin: null, reminderHourUtc: null });
  });

  it("read SMTP_URL with its credentials, or SMTP_HOST and the rest", () => {
    expect(notificationSettings(parseEnv({ ...base, ...mail, SMTP_URL: "smtps://relay%40contoso.com:p%40ss@mail.contoso.com" })).smtp).toEqual({
      host: "mail.contoso.com", port: 465, secure: true, user: "relay@contoso.com", password: "p@ss", from: mail.MAIL_FROM,
    });
    expect(notificationSettings(parseEnv({ ...base, ...mail, SMTP_HOST: "mail.contoso.com", SMTP_USER: "u", SMTP_PASSWORD: "p" })).smtp).toMatchObject({
      host: "mail.contoso.com", port: 587, secure: false, user: "u", password: "p",
    });
    expect(notificationSettings(parseEnv({ ...base, ...mail, SMTP_URL: "smtp://127.0.0.1:3003" })).origin).toBe("https://consent.contoso.com");
  });

  it.each([
    [{ ...mail, SMTP_URL: "http://mail.contoso.com" }, "SMTP_URL: must be an smtp:// or smtps:// URL"],
    [{ ...mail, SMTP_URL: "smtp://a", SMTP_HOST: "b" }, "SMTP_URL: set SMTP_URL or SMTP_HOST, not both"],
    [{ ...mail, SMTP_PORT: "25" }, "SMTP_PORT: needs SMTP_HOST as well"],
    [{ ...mail, SMTP_HOST: "mail.contoso.com", SMTP_USER: "u" }, "SMTP_PASSWORD: set SMTP_USER and SMTP_PASSWORD together"],
    [{ AUTH_URL: mail.AUTH_URL, SMTP_HOST: "mail.contoso.com" }, "MAIL_FROM: is required with SMTP_URL or SMTP_HOST"],
    [{ ...mail, SMTP_HOST: "mail.contoso.com", MAIL_FROM: "Portal <a@b.com>\r\nBcc: x@evil.com" }, "MAIL_FROM: must be a mail address"],
    [{ SMTP_URL: "smtp://127.0.0.1:3003", MAIL_FROM: mail.MAIL_FROM }, "AUTH_URL: is required with notifications"],
    [{ AUTH_URL: mail.AUTH_URL, NOTIFY_WEBHOOK_URL: "http://hooks.slack.com/services/x" }, "NOTIFY_WEBHOOK_URL: must be an https:// URL (http only on 127.0.0.1 or localhost)"],
    [{ AUTH_URL: mail.AUTH_URL, NOTIFY_WEBHOOK_URL: "https://hooks.slack.com/x", NOTIFY_REMINDER_HOUR: "24" }, "NOTIFY_REMINDER_HOUR"],
    [{ NOTIFY_REMINDER_HOUR: "9" }, "NOTIFY_REMINDER_HOUR: needs SMTP or NOTIFY_WEBHOOK_URL"],
  ])("refuse %j clearly", (vars, message) => {
    expect(() => parseEnv({ ...base, ...vars })).toThrow(message);
  });

  it("allow an http webhook on loopback only", () => {
    expect(notificationSettings(parseEnv({ ...base, AUTH_URL: mail.AUTH_URL, NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9000/hook", NOTIFY_REMINDER_HOUR: "7" }))).toMatchObject({
      webhookUrl: "http://127.0.0.1:9000/hook", reminderHourUtc: 7,
    });
  });
});

describe("messages", () => {
  const request = {
    id: "11111111-2222-4333-8444-555555555555", appName: "Nylas", requesterName: "Riley Chen", requesterUpn: "riley@contoso.com",
    permissions: [], justification: "j", createdAt: new Date("2026-11-24T08:00:00Z"),
  };

  it("tell the requester of a denial with the reason, escaped in HTML, and link to their request", () => {
    const message = requestDecidedMessage({ ...request, status: "denied", decidedByName: "Alex Wilber", reason: "Use <b>KB-12</b>\nfirst", decidedAt: new Date("2026-11-25T09:30:00Z") }, "https://consent.contoso.com");
    expect(message.subject).toBe("Your request for Nylas was denied");
    expect(message.text).toContain("Alex Wilber denied your request for Nylas on 2026-11-25 09:30 UTC.");
    expect(message.text).toContain("> Use <b>KB-12</b>\n> first");
    expect(message.text).toContain("https://consent.contoso.com/my-apps/requests/11111111-2222-4333-8444-555555555555");
    expect(message.html).toContain("Use &#60;b&#62;KB-12&#60;/b&#62;");
    expect(message.webhookText).toContain("Reason: “Use &lt;b&gt;KB-12&lt;/b&gt; first”");
  });

  it("keep subjects on one line whatever the app is called", () => {
    const message = requestDecidedMessage({ ...request, appName: "Evil\r\nBcc: x@evil.com", status: "approved", decidedByName: "Alex", reason: null, decidedAt: new Date() }, "https://p");
    expect(message.subject).not.toMatch(/[\r\n]/);
  });

  it("remind reviewers of requests waiting longer than a day", () => {
    const message = reminderMessage([request, { ...request, appName: "Outreach", createdAt: new Date("2026-11-25T07:00:00Z") }], "https://consent.contoso.com", new Date("2026-11-26T09:00:00Z"));
    expect(message.subject).toBe("Reminder: 2 approval requests are waiting for a decision");
    expect(message.text).toContain("- Nylas for Riley Chen, waiting 2 days");
    expect(message.text).toContain("- Outreach for Riley Chen, waiting 1 day\n");
    expect(message.text).toContain("https://consent.contoso.com/admin/requests");
  });
});
