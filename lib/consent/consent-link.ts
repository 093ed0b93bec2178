import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { TenantConfig } from "@/lib/env";

/**
 * The interactive admin-consent link ("Consent on behalf of your organization"): the tenant-specific
 * `/v2.0/adminconsent` URL, never `common`, with a `state` bound to the admin's session so the
 * callback can tell its own round trip from a forged or replayed one. Pure; the server-side record that
 * makes a state single-use is consent-link-state.ts.
 */

export const CONSENT_STATE_COOKIE = "acp-consent-state";
const STATE_TTL_SECONDS = 15 * 60;

export function loginOrigin(tenant: TenantConfig): string {
  // The issuer is `<login origin>/<tenant>/v2.0` for Entra and for the simulator alike.
  return tenant.issuer.slice(0, tenant.issuer.length - `/${tenant.tenantId}/v2.0`.length);
}

export function adminConsentUrl(tenant: TenantConfig, input: { appId: string; redirectUri: string; state: string }): string {
  const url = new URL(`${loginOrigin(tenant)}/${tenant.tenantId}/v2.0/adminconsent`);
  url.searchParams.set("client_id", input.appId);
  // `.default`: everything the app's registration asks for, delegated and application.
  url.searchParams.set("scope", "https://graph.microsoft.com/.default");
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  return url.href;
}

function sign(value: string, secret: string): string {
  return createHmac("sha256", secret).update(value).digest("base64url");
}

/**
 * A fresh state, and the cookie value that binds it to this session and app until it expires. The
 * state is also remembered on the server (consent-link-state.ts), which lets it be used only once.
 */
export function issueState(input: { sessionId: string; appId: string; secret: string; now?: number }): { state: string; cookie: string; expiresAt: Date } {
  const state = randomBytes(24).toString("base64url");
  const expires = Math.floor((input.now ?? Date.now()) / 1000) + STATE_TTL_SECONDS;
  const payload = `${state}.${input.appId}.${expires}`;
  return { state, cookie: `${payload}.${sign(`${payload}.${input.sessionId}`, input.secret)}`, expiresAt: new Date(expires * 1000) };
}

/** "used": the server has seen this state come back before (a replay), whatever the cookie says. */
export type StateRefusal = "missing" | "mismatch" | "expired" | "forged" | "used";
export type StateCheck = { ok: true; appId: string } | { ok: false; reason: Exclude<StateRefusal, "used"> };

/**
 * Checks the `state` that came back against the cookie issued to this session. Passing this is not
 * enough: the callback must then consume the state on the server, or a copied cookie could replay it.
 */
export function checkState(input: { returned: string | null; cookie: string | undefined; sessionId: string; secret: string; now?: number }): StateCheck {
  if (!input.returned || !input.cookie) return { ok: false, reason: "missing" };
  const parts = input.cookie.split(".");
  if (parts.length !== 4) return { ok: false, reason: "forged" };
  const [state = "", appId = "", expires = "", signature = ""] = parts;
  const expected = Buffer.from(sign(`${state}.${appId}.${expires}.${input.sessionId}`, input.secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "forged" };
  if (Number(expires) * 1000 < (input.now ?? Date.now())) return { ok: false, reason: "expired" };
  if (state !== input.returned) return { ok: false, reason: "mismatch" };
  return { ok: true, appId };
}

/** What Entra's errors on the consent screen mean, and what to do next. */
export function explainConsentError(error: string, description: string | null): { title: string; next: string } {
  const code = /AADSTS(\d+)/.exec(description ?? "")?.[1];
  switch (code) {
    case "65004":
      return { title: "Consent was declined on the consent screen.", next: "Nothing was granted. Open the link again and choose Accept when you are ready." };
    case "90094":
    case "90008":
      return { title: "Your account cannot grant these permissions.", next: "Ask a Privileged Role Administrator or Global Administrator to open the link: some permissions (such as Microsoft Graph application permissions) need that role." };
    case "50011":
      return { title: "The app does not accept this return address.", next: "The vendor's app registration does not list the portal's callback. Consent still works: open the link, accept, then check the app's state here." };
    case "700016":
      return { title: "The app is not known to Microsoft Entra.", next: "Check the app ID with the vendor: it must be their multi-tenant app's Application (client) ID." };
    default:
      return { title: `Consent did not complete (${error}).`, next: description ? `Entra said: ${description}` : "Try the link again; if it repeats, check the app ID with the vendor." };
  }
}
