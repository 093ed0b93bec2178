import "server-only";
import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { redactText } from "@/lib/audit/redact";

/**
 * The two ways a notification leaves the portal. Failures become DeliveryError with words safe to
 * store and show: never the SMTP password, never the webhook URL (its path is the secret).
 */

export type OutgoingMail = { to: string[]; subject: string; text: string; html: string | null };
export type SentReceipt = { messageId: string | null; accepted: string[]; rejected: string[] };

export interface EmailTransport {
  send(mail: OutgoingMail): Promise<SentReceipt>;
}
export interface WebhookTransport {
  post(text: string): Promise<void>;
}

/** A failed attempt; `permanent` ones are not retried (a retry cannot help). */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export type SmtpSettings = {
  host: string;
  port: number;
  /** Implicit TLS (smtps, port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
};

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** Removes every secret we know of from an error's words, and anything token-shaped. */
export function scrub(message: string, secrets: readonly (string | null | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join("[redacted]");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join("[redacted]");
  }
  // user:password@ inside any URL the error quotes
  out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, "$1[redacted]@");
  return redactText(out).slice(0, 500);
}

export function smtpTransport(settings: SmtpSettings): EmailTransport {
  const options: SMTPTransport.Options = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    // Credentials never cross the network in clear text: STARTTLS is required once there is a password,
    // except to a relay on this machine.
    requireTLS: !settings.secure && settings.password !== null && !LOOPBACK.has(settings.host),
    auth: settings.user && settings.password ? { user: settings.user, pass: settings.password } : undefined,
    // nodemailer waits two minutes by default; a delivery that hangs holds its lease and delays retries.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  };
  const transporter = nodemailer.createTransport(options);
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: settings.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
        });
        const address = (a: unknown) => (typeof a === "string" ? a : a && typeof a === "object" && "address" in a ? String(a.address) : String(a));
        return { messageId: info.messageId ?? null, accepted: (info.accepted ?? []).map(address), rejected: (info.rejected ?? []).map(address) };
      } catch (error) {
        const e = error as { code?: string; responseCode?: number; message?: string };
        // Every recipient refused for good (5xx to RCPT TO): a retry gets the same answer. Anything else,
        // a wrong password included, may be fixed while the retries run.
        const permanent = e.code === "EENVELOPE" && typeof e.responseCode === "number" && e.responseCode >= 500;
        const what = e.code === "ECONNECTION" || e.code === "ETIMEDOUT" || e.code === "ESOCKET" ? "The mail server could not be reached" : "The mail server refused the message";
        throw new DeliveryError(scrub(`${what}: ${e.message ?? String(error)}`, [settings.password, settings.user && settings.password ? settings.user : null]), permanent);
      }
    },
  };
}

/** POSTs `{ "text": … }`, which Slack's and Teams' incoming webhooks both accept. */
export function webhookTransport(url: string, timeoutMs = 10_000): WebhookTransport {
  return {
    async post(text) {
      let reply: Response;
      try {
        reply = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text }),
          // A redirect could carry the message somewhere nobody configured.
          redirect: "error",
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { name?: string }).name ?? "error";
        throw new DeliveryError(`The webhook could not be reached (${scrub(String(cause), [url])}).`);
      }
      await reply.body?.cancel().catch(() => undefined);
      if (reply.ok) return;
      // 4xx other than throttling: the URL was revoked or the payload refused; a retry will not change that.
      const permanent = reply.status >= 400 && reply.status < 500 && reply.status !== 408 && reply.status !== 429;
      throw new DeliveryError(`The webhook answered HTTP ${reply.status}.`, permanent);
    },
  };
}
