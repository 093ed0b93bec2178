import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTenantFromFixtures } from "../graph";
import { createIssuer } from "../issuer/provider";
import { createLoginHandler } from "../issuer/server";
import { ensureCertificate } from "../local-secrets";
import { mailPage } from "./page";
import { createMailSink, type MailSink } from "./sink";

let sink: MailSink;
let port: number;

beforeAll(async () => {
  sink = createMailSink({ maxMessages: 3 });
  port = await sink.listen(0);
});
afterAll(() => sink.close());

const send = (to: string[], subject: string, text: string, html?: string, headers?: Record<string, string>) =>
  nodemailer.createTransport({ host: "127.0.0.1", port, secure: false }).sendMail({ from: "Portal <portal@contoso.onmicrosoft.com>", to, subject, text, ...(html ? { html } : {}), ...(headers ? { headers } : {}) });

describe("the simulated mail sink", () => {
  it("accepts mail over SMTP on loopback and keeps envelope, headers and both parts", async () => {
    await send(["alex.wilber@contoso.onmicrosoft.com", "casey.jensen@contoso.onmicrosoft.com"], "Approval requested: Nylas", "Review it: http://localhost:3000/admin/requests", "<p>Review <b>it</b></p>");
    const [mail] = sink.messages();
    expect(mail).toMatchObject({
      envelope: { from: "portal@contoso.onmicrosoft.com", to: ["alex.wilber@contoso.onmicrosoft.com", "casey.jensen@contoso.onmicrosoft.com"] },
      from: "\"Portal\" <portal@contoso.onmicrosoft.com>",
      to: ["alex.wilber@contoso.onmicrosoft.com", "casey.jensen@contoso.onmicrosoft.com"],
      subject: "Approval requested: Nylas",
      html: "<p>Review <b>it</b></p>",
    });
    expect(mail?.text.trim()).toBe("Review it: http://localhost:3000/admin/requests");
    expect(Date.parse(mail?.receivedAt ?? "")).not.toBeNaN();
  });

  it("keeps only the newest messages, newest first", async () => {
    for (const n of [1, 2, 3, 4]) await send(["riley.chen@contoso.onmicrosoft.com"], `message ${n}`, `text ${n}`);
    expect(sink.messages().map((m) => m.subject)).toEqual(["message 4", "message 3", "message 2"]);
  });

  it("refuses sign-in and STARTTLS: it is a loopback sink, not a relay", async () => {
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false, requireTLS: true });
    await expect(transport.sendMail({ from: "a@contoso.onmicrosoft.com", to: "b@contoso.onmicrosoft.com", text: "x" })).rejects.toThrow();
  });

  it("keeps the simulated Entra's own notices apart from the portal's: Entra's sender, origin and header", async () => {
    await send(["riley.chen@contoso.onmicrosoft.com"], "Not really Entra", "forged", undefined, { "X-MS-Entra-Notification": "consent-request-approved", "X-Portal-Kind": "request" });
    const forged = sink.messages()[0];
    expect(forged).toMatchObject({ origin: "smtp", headers: { "x-portal-kind": "request" } });
    expect(forged?.headers).not.toHaveProperty("x-ms-entra-notification");

    const entra = sink.deliverEntraMail({
      kind: "consent-request-approved", from: "Microsoft Azure <azure-noreply@microsoft.com>", to: ["riley.chen@contoso.onmicrosoft.com"],
      subject: "Your request to access Nylas was approved", text: "An administrator approved your request for Nylas.",
      appId: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94", appConsentRequestId: "req-1", userConsentRequestId: "user-req-1",
    });
    expect(sink.messages()[0]).toEqual(entra);
    expect(entra).toMatchObject({
      origin: "entra", from: "Microsoft Azure <azure-noreply@microsoft.com>",
      envelope: { from: "azure-noreply@microsoft.com", to: ["riley.chen@contoso.onmicrosoft.com"] },
      headers: { "x-ms-entra-notification": "consent-request-approved", "x-ms-entra-app-id": "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94" },
    });
    const html = mailPage(sink.messages().slice(0, 2));
    expect(html.match(/data-testid="mail-origin"/g)).toHaveLength(1);
    expect(html).toContain('data-origin="entra"');
    expect(html).toContain("Sent by Microsoft Entra (simulated), not by the portal");
  });

  it("lists sent mail on a page that escapes what the mail says", () => {
    const html = mailPage([
      { id: 1, receivedAt: "2026-11-26T08:00:00.000Z", envelope: { from: "p@x.test", to: ["alex@x.test"] }, from: "Portal <p@x.test>", to: ["alex@x.test"], subject: "<script>alert(1)</script>", text: "Justification: <img src=x onerror=alert(1)>", html: null, messageId: null, origin: "smtp", headers: {} },
    ]);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&#60;script&#62;");
    expect(html).toContain("alex@x.test");
    expect(mailPage([])).toContain("No mail yet");
  });
});

describe("the sent-mail page on the simulated login host", () => {
  let servers: Server[] = [];
  const start = async (withSink: boolean) => {
    const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
    const server = createServer({ cert: tls.cert, key: tls.key });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const issuer = await createIssuer({ origin, portalUrls: ["http://localhost:3999"] });
    server.on("request", createLoginHandler(issuer, loadTenantFromFixtures(), ["http://localhost:3999"], withSink ? sink : undefined));
    servers.push(server);
    return origin;
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
  });

  it("serves /_mail (HTML) and /_mail.json (newest first) from the sink", async () => {
    await send(["sam.okafor@contoso.onmicrosoft.com"], "Page check <&>", "Body <i>as sent</i>");
    const origin = await start(true);
    const json = await fetch(`${origin}/_mail.json`);
    expect(json.headers.get("content-type")).toContain("application/json");
    expect(json.headers.get("cache-control")).toBe("no-store");
    const { messages } = (await json.json()) as { messages: { subject: string; envelope: { to: string[] } }[] };
    expect(messages[0]).toMatchObject({ subject: "Page check <&>", envelope: { to: ["sam.okafor@contoso.onmicrosoft.com"] } });
    const page = await (await fetch(`${origin}/_mail`)).text();
    expect(page).toContain("<h1>Sent mail</h1>");
    expect(page).toContain("Page check &#60;&#38;&#62;");
    expect(page).toContain("Body &#60;i&#62;as sent&#60;/i&#62;");
  });

  it("is not served without a sink", async () => {
    const origin = await start(false);
    expect((await fetch(`${origin}/_mail.json`)).status).toBe(404);
  });
});
