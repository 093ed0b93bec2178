import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, request, type APIRequestContext } from "@playwright/test";
import tenant from "../sim/fixtures/tenant.json";
import { idTokenClaims } from "../sim/issuer/accounts";
import { TEST_PORTS } from "../playwright.config";
import type { SeededAccount } from "./helpers";

/** The test stack's simulated tenant: its hosts, its control endpoint, and Graph tokens for assertions. */
export const LOGIN = `https://127.0.0.1:${TEST_PORTS.login}`;
export const GRAPH = `https://127.0.0.1:${TEST_PORTS.graph}`;
export const ISSUER = `${LOGIN}/${tenant.tenantId}/v2.0`;
const PORTAL_CALLBACK = `http://localhost:${TEST_PORTS.portal}/api/auth/callback/microsoft-entra-id`;

export function controlSecret(): string {
  return readFileSync(path.join(process.env.TEST_DATA_DIR ?? ".data/test", "sim-control-secret"), "utf8").trim();
}

async function context(): Promise<APIRequestContext> {
  return request.newContext({ ignoreHTTPSErrors: true });
}

/** Puts the simulated tenant back to its fixtures. */
export async function resetSimulator(): Promise<void> {
  const api = await context();
  const reply = await api.post(`${GRAPH}/_sim/reset`, { headers: { "x-sim-control": controlSecret() } });
  expect(reply.ok()).toBe(true);
  await api.dispose();
}

/**
 * A Graph access token for `who`, got the way the portal gets one (authorization code + PKCE at the
 * simulated issuer), so tests read the tenant back through Graph rather than through simulator internals.
 */
export async function graphToken(who: SeededAccount, scopes: string): Promise<string> {
  const api = await context();
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${ISSUER}/auth`);
  authorize.search = new URLSearchParams({
    client_id: tenant.portalClient.clientId,
    response_type: "code",
    redirect_uri: PORTAL_CALLBACK,
    scope: `openid ${scopes}`,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    prompt: "login",
  }).toString();
  let reply = await api.get(authorize.href, { maxRedirects: 0 });
  const interaction = new URL(reply.headers().location ?? "", LOGIN).href;
  await api.get(interaction);
  reply = await api.post(`${interaction}/login`, { form: { sub: idTokenClaims(who).sub }, maxRedirects: 0 });
  reply = await api.get(new URL(reply.headers().location ?? "", LOGIN).href, { maxRedirects: 0 });
  const code = new URL(reply.headers().location ?? "").searchParams.get("code") ?? "";
  reply = await api.post(`${ISSUER}/token`, {
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: PORTAL_CALLBACK,
      code_verifier: verifier,
      client_id: tenant.portalClient.clientId,
      client_secret: tenant.portalClient.clientSecret,
    },
  });
  expect(reply.ok()).toBe(true);
  const { access_token: accessToken } = (await reply.json()) as { access_token: string };
  await api.dispose();
  return accessToken;
}

export async function graphGet<T>(token: string, pathAndQuery: string): Promise<T> {
  const api = await context();
  const reply = await api.get(`${GRAPH}/v1.0${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } });
  expect(reply.status(), await reply.text()).toBe(200);
  const body = (await reply.json()) as T;
  await api.dispose();
  return body;
}

/** Makes the simulated tenant one of the newer tenants without the group consent template (until resetSimulator()). */
export async function withdrawGroupConsentTemplate(): Promise<void> {
  const api = await context();
  const reply = await api.post(`${GRAPH}/_sim/withdraw-group-consent-template`, { headers: { "x-sim-control": controlSecret() } });
  expect(reply.ok(), await reply.text()).toBe(true);
  await api.dispose();
}

/** Switches simulator faults on (replication delay, 429s…); resetSimulator() does not clear them, clearFaults() does. */
export async function setFaults(config: Record<string, unknown>): Promise<void> {
  const api = await context();
  const reply = await api.post(`${GRAPH}/_sim/faults`, { headers: { "x-sim-control": controlSecret() }, data: config });
  expect(reply.ok(), await reply.text()).toBe(true);
  await api.dispose();
}

export async function clearFaults(): Promise<void> {
  const api = await context();
  await api.delete(`${GRAPH}/_sim/faults`, { headers: { "x-sim-control": controlSecret() } });
  await api.dispose();
}

/** A write through Graph as whoever `token` belongs to (for setting up a tenant state in a test). */
export async function graphSend(token: string, method: "POST" | "PATCH" | "PUT" | "DELETE", pathAndQuery: string, body?: unknown): Promise<void> {
  const api = await context();
  const reply = await api.fetch(`${GRAPH}/v1.0${pathAndQuery}`, { method, headers: { authorization: `Bearer ${token}` }, data: body });
  expect(reply.ok(), await reply.text()).toBe(true);
  await api.dispose();
}

export type SentMail = { id: number; receivedAt: string; envelope: { from: string | null; to: string[] }; from: string; to: string[]; subject: string; text: string; html: string | null };

/** Every message in the simulated tenant's mail sink, newest first (what the portal sent). */
export async function sentMail(): Promise<SentMail[]> {
  const api = await context();
  const reply = await api.get(`${LOGIN}/_mail.json`);
  expect(reply.ok(), await reply.text()).toBe(true);
  const { messages } = (await reply.json()) as { messages: SentMail[] };
  await api.dispose();
  return messages;
}

/** Waits for the message that `match` picks out (delivery runs just after the action's response). */
export async function waitForMail(match: (mail: SentMail) => boolean, timeoutMs = 15_000): Promise<SentMail> {
  let found: SentMail | undefined;
  await expect
    .poll(async () => (found = (await sentMail()).find(match)) !== undefined, { timeout: timeoutMs, message: "the mail never reached the simulated mail sink" })
    .toBe(true);
  return found!;
}
