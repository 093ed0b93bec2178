import { createHash, randomBytes } from "node:crypto";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import tenant from "../fixtures/tenant.json";
import { loadTenantFromFixtures } from "../graph";
import { ensureCertificate } from "../local-secrets";
import { ACCOUNTS, idTokenClaims } from "./accounts";
import { createIssuer, type Issuer } from "./provider";
import { createLoginHandler } from "./server";

/** Test-only: the simulated issuer in-process over https, and a client that signs in like a browser. */

export const TEST_PORTAL = "http://localhost:3999";
const REDIRECT_URI = `${TEST_PORTAL}/api/auth/callback/microsoft-entra-id`;

export type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };
export type TestIssuer = { issuer: Issuer; ca: string; close: () => Promise<void> };

/** Uses the certificate vitest's global setup made trusted (NODE_EXTRA_CA_CERTS), so fetch and MSAL accept it. */
export async function startTestIssuer(options: { controlSecret?: string } = {}): Promise<TestIssuer> {
  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const server: Server = createServer({ cert: tls.cert, key: tls.key });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = await createIssuer({ origin: `https://127.0.0.1:${port}`, portalUrls: [TEST_PORTAL] });
  server.on("request", createLoginHandler(issuer, loadTenantFromFixtures(), [TEST_PORTAL], undefined, options));
  return { issuer, ca: tls.cert, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A tiny https client with a cookie jar. */
export function httpsClient(ca: string) {
  const jar = new Map<string, string>();
  return async function send(
    url: string,
    init: { method?: string; form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const body = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...init.headers };
    if (body) headers["content-type"] = init.form ? "application/x-www-form-urlencoded" : "application/json";
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = request(url, { method: init.method ?? "GET", headers, ca }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on("error", reject);
      req.end(body);
    });
    for (const cookie of (reply.headers["set-cookie"] as string[] | undefined) ?? []) {
      const [pair = ""] = cookie.split(";");
      const [name = "", value = ""] = pair.split("=");
      jar.set(name, value);
    }
    return reply;
  };
}

export type TokenResponse = { id_token: string; access_token: string; refresh_token?: string; scope: string };

/** The authorization-code flow with PKCE, as a person picking `accountId` would go through it. */
export async function signInWithCode({ issuer, ca }: TestIssuer, accountId: string, scope: string) {
  const send = httpsClient(ca);
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${issuer.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: tenant.portalClient.clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state: "s",
    nonce: "n",
    prompt: "login",
  }).toString();
  let reply = await send(authorize.href);
  const interaction = new URL(String(reply.headers.location), issuer.issuer).href;
  const picker = await send(interaction);
  const account = ACCOUNTS.find((a) => a.id === accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  reply = await send(`${interaction}/login`, { method: "POST", form: { sub: idTokenClaims(account).sub } });
  reply = await send(new URL(String(reply.headers.location), issuer.issuer).href);
  const callback = new URL(String(reply.headers.location));
  reply = await send(`${issuer.issuer}/token`, {
    method: "POST",
    form: {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: tenant.portalClient.clientId,
      client_secret: tenant.portalClient.clientSecret,
    },
  });
  if (reply.status !== 200) throw new Error(`token request failed: ${reply.status} ${reply.body}`);
  return { send, picker, callback: `${callback.origin}${callback.pathname}`, tokens: JSON.parse(reply.body) as TokenResponse };
}
