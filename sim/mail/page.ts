import { escapeHtml } from "../issuer/html";
import type { SinkMail } from "./sink";

/**
 * The sent-mail page of the simulated set-up: every message the portal sent, and the simulated Entra's
 * own admin-consent-workflow notices (labelled as such), newest first, as plain text.
 */
export function mailPage(messages: readonly SinkMail[]): string {
  const items = messages
    .map(
      (mail) => `<article data-testid="mail" data-origin="${mail.origin}">
  ${mail.origin === "entra" ? `<p class="origin" data-testid="mail-origin">Sent by Microsoft Entra (simulated), not by the portal</p>` : ""}
  <h2>${escapeHtml(mail.subject || "(no subject)")}</h2>
  <dl>
    <dt>From</dt><dd>${escapeHtml(mail.from)}</dd>
    <dt>To</dt><dd>${escapeHtml(mail.envelope.to.join(", "))}</dd>
    <dt>Received</dt><dd><time datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt.replace("T", " ").slice(0, 19))} UTC</time></dd>
  </dl>
  <pre>${escapeHtml(mail.text)}</pre>
</article>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sent mail — simulated tenant</title>
<style>
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f2f2;color:#1b1b1b}
  main{max-width:860px;margin:4vh auto;padding:0 16px}
  .banner{font-size:13px;background:#fff4ce;border:1px solid #e8d48b;padding:6px 10px;margin-bottom:16px}
  h1{font-size:24px;font-weight:600}
  article{background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.15);padding:16px 20px;margin:0 0 16px}
  h2{font-size:17px;margin:0 0 8px}
  dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:14px;margin:0 0 8px}
  dt{color:#5b5b5b}
  .origin{display:inline-block;font-size:13px;background:#deecf9;border:1px solid #9cc3e8;padding:2px 8px;margin:0 0 8px}
  dd{margin:0}
  pre{white-space:pre-wrap;font:14px/1.4 ui-monospace,Menlo,Consolas,monospace;background:#fafafa;border:1px solid #e5e5e5;padding:10px;margin:0}
</style></head>
<body><main><div class="banner">Simulated mail sink — nothing leaves this machine. Newest first, kept in memory until the simulator stops.</div>
<h1>Sent mail</h1>
${items || "<p>No mail yet. Request approval of an app in the portal, and the reviewers’ mail shows up here.</p>"}
</main></body></html>`;
}
