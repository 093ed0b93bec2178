import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import { ENTRA_MAIL_ENVELOPE_FROM, ENTRA_MAIL_HEADER, type EntraMail, type EntraMailKind } from "../graph/state/entra-mail";

/**
 * The simulated tenant's mail sink: an SMTP server on loopback that accepts every message and keeps
 * the latest ones in memory, so a person (at /_mail on the login host) and the tests can read what the
 * portal sent. Nothing is relayed anywhere. The simulated Entra's own notices (admin consent workflow
 * mails) are delivered here too, in process, marked `origin: "entra"` so nobody mistakes them for the
 * portal's.
 */

export type SinkMail = {
  id: number;
  receivedAt: string;
  /** The SMTP envelope: who the portal actually handed the message to. */
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string | null;
  /** "smtp": handed over by a client (the portal); "entra": sent by the simulated Entra itself. */
  origin: "smtp" | "entra";
  /** Headers that tell the mail's kind apart: Entra's notices carry x-ms-entra-notification. */
  headers: Record<string, string>;
};

export type MailSink = {
  /** Newest first. */
  messages(): SinkMail[];
  /** Keeps a notice the simulated Entra sends (it has no SMTP client of its own). */
  deliverEntraMail(mail: EntraMail): SinkMail;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
};

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.flatMap((entry) => (entry.address ? [entry.address] : [])));

export function createMailSink(options: { maxMessages?: number; maxBytes?: number } = {}): MailSink {
  const maxMessages = options.maxMessages ?? 200;
  const maxBytes = options.maxBytes ?? 1_000_000;
  const kept: SinkMail[] = [];
  let nextId = 1;

  const server = new SMTPServer({
    // Plain SMTP on loopback, no sign-in: the portal is pointed here only in the simulated set-up.
    disabledCommands: ["STARTTLS", "AUTH"],
    size: maxBytes,
    banner: "Admin Consent Portal simulated mail sink",
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          if ((stream as { sizeExceeded?: boolean }).sizeExceeded) {
            callback(Object.assign(new Error("Message too large for the mail sink"), { responseCode: 552 }));
            return;
          }
          kept.unshift({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            },
            from: parsed.from?.text ?? "",
            to: addresses(parsed.to),
            subject: parsed.subject ?? "",
            text: (parsed.text ?? "").slice(0, 100_000),
            html: typeof parsed.html === "string" ? parsed.html.slice(0, 200_000) : null,
            messageId: parsed.messageId ?? null,
            origin: "smtp",
            // a client cannot pass itself off as Entra: only deliverEntraMail sets this header
            headers: Object.fromEntries([...parsed.headers.keys()].filter((name) => name.startsWith("x-") && name !== ENTRA_MAIL_HEADER)
              .map((name) => [name, String(parsed.headers.get(name) ?? "")])),
          });
          kept.length = Math.min(kept.length, maxMessages);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  server.on("error", () => undefined); // a client dropping its connection must not stop the simulator

  const copy = (mail: SinkMail): SinkMail => ({ ...mail, envelope: { ...mail.envelope, to: [...mail.envelope.to] }, to: [...mail.to], headers: { ...mail.headers } });
  return {
    messages: () => kept.map(copy),
    deliverEntraMail: (mail) => {
      const id = nextId++;
      const kind: EntraMailKind = mail.kind;
      const entry: SinkMail = {
        id, receivedAt: new Date().toISOString(),
        envelope: { from: ENTRA_MAIL_ENVELOPE_FROM, to: [...mail.to] },
        from: mail.from, to: [...mail.to], subject: mail.subject, text: mail.text, html: null,
        messageId: `<${mail.userConsentRequestId}.${kind}.${id}@notification.microsoft.com>`,
        origin: "entra",
        headers: { [ENTRA_MAIL_HEADER]: kind, "x-ms-entra-app-id": mail.appId, "x-ms-entra-consent-request-id": mail.appConsentRequestId },
      };
      kept.unshift(entry);
      kept.length = Math.min(kept.length, maxMessages);
      return copy(entry);
    },
    listen: (port, host = "127.0.0.1") =>
      new Promise((resolve, reject) => {
        server.server.once("error", reject);
        server.listen(port, host, () => resolve((server.server.address() as AddressInfo).port));
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
