import { createHash, randomBytes } from "node:crypto";
import { request, createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tenant from "../fixtures/tenant.json";
import { ACCOUNTS, idTokenClaims } from "./accounts";
import { createIssuer, GRAPH_APP_ID, type Issuer } from "./provider";
import { createLoginHandler } from "./server";
import { ensureCertificate } from "../local-secrets";
import { loadTenantFromFixtures } from "../graph";

const PORTAL = "http://localhost:3999";
const REDIRECT_URI = `${PORTAL}/api/auth/callback/microsoft-entra-id`;

let server: Server;
let issuer: Issuer;
let ca: string;

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A tiny https client with a cookie jar, trusting only the simulator's certificate. */
function client() {
  const jar = new Map<string, string>();
  return async function send(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Reply> {
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const headers: Record<string, string> = { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") };
    if (body) headers["content-type"] = "application/x-www-form-urlencoded";
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

/** Runs the authorization-code flow with PKCE as a person picking `accountId` would; returns the token response. */
async function signIn(accountId: string, scope: string) {
  const send = client();
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = new URL(`${issuer.issuer}/auth`);
  Object.entries({
    client_id: tenant.portalClient.clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s",
    nonce: "n",
    prompt: "login",
  }).forEach(([k, v]) => authorize.searchParams.set(k, v));

  let reply = await send(authorize.href);
  const interaction = new URL(String(reply.headers.location), issuer.issuer).href;
  reply = await send(interaction);
  expect(reply.body).toContain("Pick an account");
  const account = ACCOUNTS.find((a) => a.id === accountId)!;
  reply = await send(`${interaction}/login`, { method: "POST", form: { sub: idTokenClaims(account).sub } });
  reply = await send(new URL(String(reply.headers.location), issuer.issuer).href);
  const callback = new URL(String(reply.headers.location));
  expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
  const code = callback.searchParams.get("code")!;
  reply = await send(`${issuer.issuer}/token`, {
    method: "POST",
    form: {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: tenant.portalClient.clientId,
      client_secret: tenant.portalClient.clientSecret,
    },
  });
  expect(reply.status).toBe(200);
  return { send, tokens: JSON.parse(reply.body) as { id_token: string; access_token: string; refresh_token?: string; scope: string } };
}

beforeAll(async () => {
  const tls = await ensureCertificate(mkdtempSync(path.join(tmpdir(), "sim-tls-")));
  ca = tls.cert;
  server = createServer({ cert: tls.cert, key: tls.key });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  issuer = await createIssuer({ origin: `https://127.0.0.1:${port}`, portalUrls: [PORTAL] });
  server.on("request", createLoginHandler(issuer, loadTenantFromFixtures(), [PORTAL]));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("simulated Entra issuer", () => {
  it("publishes a tenant-specific v2.0 discovery document", async () => {
    const reply = await client()(`${issuer.issuer}/.well-known/openid-configuration`);
    const discovery = JSON.parse(reply.body);
    expect(discovery.issuer).toBe(`${new URL(issuer.issuer).origin}/${tenant.tenantId}/v2.0`);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    const jwks = JSON.parse((await client()(discovery.jwks_uri)).body);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256" });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it("signs an Entra-shaped ID token and a Graph access token for the picked account", async () => {
    const admin = ACCOUNTS.find((a) => a.roleLabel === "Cloud Application Administrator")!;
    const { tokens } = await signIn(admin.id, "openid profile email offline_access User.Read https://graph.microsoft.com/Application.Read.All");
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({
      iss: issuer.issuer,
      aud: tenant.portalClient.clientId,
      tid: tenant.tenantId,
      oid: admin.id,
      preferred_username: admin.userPrincipalName,
      name: admin.displayName,
      wids: admin.wids,
      nonce: "n",
    });
    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ aud: GRAPH_APP_ID, tid: tenant.tenantId, oid: admin.id, wids: admin.wids });
    expect(String(access.scp).split(" ").sort()).toEqual(["Application.Read.All", "User.Read"]);
    expect(tokens.refresh_token).toBeTruthy();
  });

  it("refreshes a Graph access token with the refresh token", async () => {
    const user = ACCOUNTS.find((a) => a.roleLabel === "User")!;
    const { send, tokens } = await signIn(user.id, "openid profile offline_access User.Read");
    const reply = await send(`${issuer.issuer}/token`, {
      method: "POST",
      form: {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        client_id: tenant.portalClient.clientId,
        client_secret: tenant.portalClient.clientSecret,
      },
    });
    expect(reply.status).toBe(200);
    const access = decodeJwt(JSON.parse(reply.body).access_token);
    expect(access).toMatchObject({ oid: user.id, scp: "User.Read", wids: [] });
  });

  it("gives the account of another tenant that tenant's tid", async () => {
    const foreign = ACCOUNTS.find((a) => a.homeTenantId)!;
    const { tokens } = await signIn(foreign.id, "openid profile User.Read");
    expect(decodeJwt(tokens.id_token).tid).toBe(foreign.homeTenantId);
  });

  it("refuses a token request with the wrong client secret", async () => {
    const reply = await client()(`${issuer.issuer}/token`, {
      method: "POST",
      form: { grant_type: "refresh_token", refresh_token: "x", client_id: tenant.portalClient.clientId, client_secret: "wrong" },
    });
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body).error).toBe("invalid_client");
  });
});
