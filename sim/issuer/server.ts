import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import tenant from "../fixtures/tenant.json";
import { ACCOUNTS, idTokenClaims, tenantOf } from "./accounts";
import { escapeHtml, page } from "./html";
import type { Tenant } from "../graph";
import { acceptUserConsent, adminConsent, requestApproval, sendReply, trySignIn, trySignInForm } from "./consent-pages";
import { idTokenDefectSchema } from "./forge";
import type { Issuer } from "./provider";
import type { MailSink } from "../mail/sink";
import { mailPage } from "../mail/page";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function secretMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const nextIdTokenSchema = z.object({ defect: idTokenDefectSchema.nullable() });

/**
 * POST /_sim/next-id-token {"defect": "<defect>" | null}: the next sign-in's ID token is forged with
 * that defect (sim/issuer/forge.ts). Like the Graph host's /_sim routes it needs the control secret in
 * `x-sim-control`, and does not exist at all when the simulator was started without one.
 */
async function nextIdTokenControl(req: IncomingMessage, res: ServerResponse, issuer: Issuer, secret: string) {
  if (!secretMatches(secret, req.headers["x-sim-control"])) return sendJson(res, 403, { error: "forbidden" });
  if (req.method === "GET") return sendJson(res, 200, { defect: issuer.idTokenDefects.armed });
  if (req.method !== "POST") return sendJson(res, 405, { error: "method not allowed" });
  let text = "";
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 1024) return sendJson(res, 413, { error: "too large" });
  }
  let json: unknown;
  try {
    json = JSON.parse(text || "{}");
  } catch {
    return sendJson(res, 400, { error: "Expected JSON." });
  }
  const parsed = nextIdTokenSchema.safeParse(json);
  if (!parsed.success) return sendJson(res, 400, { error: `Expected {"defect": one of ${idTokenDefectSchema.options.join(", ")} or null}.` });
  issuer.idTokenDefects.arm(parsed.data.defect);
  return sendJson(res, 200, { defect: parsed.data.defect });
}

function accountPicker(uid: string, mountPath: string, clientName: string): string {
  const tenantName = (id: string) =>
    id === tenant.tenantId ? tenant.displayName : (tenant.foreignTenants.find((t) => t.tenantId === id)?.displayName ?? id);
  const items = ACCOUNTS.map((account) => {
    const claims = idTokenClaims(account);
    const foreign = tenantOf(account) !== tenant.tenantId;
    return `<li><form method="post" action="${mountPath}/interaction/${escapeHtml(uid)}/login">
      <input type="hidden" name="sub" value="${escapeHtml(claims.sub)}">
      <button class="account" type="submit">
        <span class="name">${escapeHtml(account.displayName)}</span>
        <span class="meta">${escapeHtml(account.userPrincipalName)}${foreign ? ` · ${escapeHtml(tenantName(tenantOf(account)))}` : ""}</span>
        <span class="role">${escapeHtml(account.roleLabel)}</span>
      </button></form></li>`;
  }).join("");
  return page(
    "Sign in to your account",
    `<h1>Pick an account</h1>
     <p>to continue to <strong>${escapeHtml(clientName)}</strong> in ${escapeHtml(tenant.displayName)}</p>
     <ul>${items}</ul>
     <form method="post" action="${mountPath}/interaction/${escapeHtml(uid)}/abort"><button class="secondary" type="submit">Cancel</button></form>`,
  );
}

/**
 * The login host (`https://127.0.0.1:<port>`): the OIDC issuer mounted at `/<tenant>/v2.0`, the
 * account picker that replaces Entra's sign-in screens, the admin-consent screen and the
 * "try to sign in to an app" pages (consent-pages.ts) and, given the mail sink, the sent-mail page
 * at /_mail (JSON at /_mail.json). Given a control secret, also the test-only /_sim/next-id-token.
 */
export function createLoginHandler(
  issuer: Issuer,
  tenant: Tenant,
  portalUrls: string[],
  mail?: MailSink,
  options: { controlSecret?: string } = {},
): Handler {
  const { provider, mountPath } = issuer;
  const oidc = provider.callback();
  const interactionPath = new RegExp(`^${mountPath}/interaction/([\\w-]+)(?:/(login|abort))?$`);

  return async (req, res) => {
    const url = new URL(req.url ?? "/", "https://simulator.invalid");
    const interaction = interactionPath.exec(url.pathname);
    try {
      if (url.pathname === `${mountPath}/adminconsent`) {
        const params = req.method === "POST" ? await readForm(req) : url.searchParams;
        return sendReply(res, adminConsent(tenant, req.method ?? "GET", params, portalUrls));
      }
      if (url.pathname === "/" && req.method === "GET") return sendReply(res, trySignInForm(tenant));
      if (options.controlSecret && url.pathname === "/_sim/next-id-token") return await nextIdTokenControl(req, res, issuer, options.controlSecret);
      // The mail sink's sent-mail page, for people, and its JSON, for tests. Requests that expired since
      // anything last looked are settled first, so Entra's expiry notices are there to be read.
      if (mail && req.method === "GET" && url.pathname.startsWith("/_mail")) tenant.settleConsentRequests();
      if (mail && req.method === "GET" && url.pathname === "/_mail") return send(res, 200, mailPage(mail.messages()));
      if (mail && req.method === "GET" && url.pathname === "/_mail.json") {
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
        res.end(JSON.stringify({ messages: mail.messages() }));
        return;
      }
      if (req.method === "POST" && url.pathname === "/try-sign-in") return sendReply(res, trySignIn(tenant, await readForm(req)));
      if (req.method === "POST" && url.pathname === "/try-sign-in/consent") return sendReply(res, acceptUserConsent(tenant, await readForm(req)));
      if (req.method === "POST" && url.pathname === "/try-sign-in/request") return sendReply(res, requestApproval(tenant, await readForm(req)));
      if (interaction) {
        const [, uid = "", action] = interaction;
        const details = await provider.interactionDetails(req, res);
        if (details.uid !== uid) return send(res, 400, page("Error", "<h1>This sign-in link has expired.</h1>"));
        if (!action && req.method === "GET") {
          const client = await provider.Client.find(String(details.params.client_id));
          return send(res, 200, accountPicker(uid, mountPath, client?.clientName ?? "an application"));
        }
        if (req.method !== "POST") return send(res, 405, page("Error", "<h1>Method not allowed</h1>"));
        if (action === "abort") {
          await provider.interactionFinished(req, res, {
            error: "access_denied",
            error_description: "AADSTS65004: User declined to consent to access the app.",
          });
          return;
        }
        const sub = (await readForm(req)).get("sub") ?? "";
        if (!ACCOUNTS.some((account) => idTokenClaims(account).sub === sub)) {
          return send(res, 400, page("Error", "<h1>Unknown account</h1>"));
        }
        await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
        return;
      }
      if (req.method === "POST" && url.pathname === `${mountPath}/token`) {
        // MSAL always adds offline_access to a refresh; Entra accepts it, but oidc-provider binds a
        // refresh token to the scopes first granted and never grants offline_access without
        // prompt=consent. Drop it from refresh requests (already parsed bodies are read from req.body).
        const form = await readForm(req);
        if (form.get("grant_type") === "refresh_token" && form.has("scope")) {
          form.set("scope", (form.get("scope") ?? "").split(" ").filter((scope) => scope && scope !== "offline_access").join(" "));
        }
        Object.assign(req, { body: form.toString() });
      }
      if (url.pathname === mountPath || url.pathname.startsWith(`${mountPath}/`)) {
        // oidc-provider derives its mount path from originalUrl, as when mounted under express.
        Object.assign(req, { originalUrl: req.url, url: (req.url ?? "").slice(mountPath.length) || "/" });
        oidc(req, res);
        return;
      }
      send(res, 404, page("Not found", "<h1>Not found</h1>"));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      send(res, 400, page("Sign-in error", `<h1>Sorry, but we’re having trouble signing you in.</h1><p class="error">${escapeHtml(message)}</p>`));
    }
  };
}
