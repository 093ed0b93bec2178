import "server-only";
import type { Env } from "@/lib/env";
import type { SmtpSettings } from "./transports";

/** What lib/env.ts validated, in the shape the transports take. */
export type NotificationSettings = {
  smtp: SmtpSettings | null;
  /** A secret (Slack's and Teams' URLs carry the key): never logged, stored or shown. */
  webhookUrl: string | null;
  /** The portal's public origin, for links in messages. */
  origin: string | null;
  reminderHourUtc: number | null;
};

type Vars = Pick<Env, "SMTP_URL" | "SMTP_HOST" | "SMTP_PORT" | "SMTP_USER" | "SMTP_PASSWORD" | "MAIL_FROM" | "NOTIFY_WEBHOOK_URL" | "NOTIFY_REMINDER_HOUR" | "AUTH_URL">;

function smtpFrom(vars: Vars): SmtpSettings | null {
  const from = vars.MAIL_FROM;
  if (!from) return null;
  if (vars.SMTP_URL) {
    const url = new URL(vars.SMTP_URL);
    const secure = url.protocol === "smtps:";
    return {
      host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      user: url.username ? decodeURIComponent(url.username) : null,
      password: url.password ? decodeURIComponent(url.password) : null,
      from,
    };
  }
  if (vars.SMTP_HOST) {
    const port = vars.SMTP_PORT ?? 587;
    return { host: vars.SMTP_HOST, port, secure: port === 465, user: vars.SMTP_USER ?? null, password: vars.SMTP_PASSWORD ?? null, from };
  }
  return null;
}

export function notificationSettings(vars: Vars): NotificationSettings {
  return {
    smtp: smtpFrom(vars),
    webhookUrl: vars.NOTIFY_WEBHOOK_URL ?? null,
    origin: vars.AUTH_URL ? new URL(vars.AUTH_URL).origin : null,
    reminderHourUtc: vars.NOTIFY_REMINDER_HOUR ?? null,
  };
}
