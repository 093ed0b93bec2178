import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import path from "node:path";
import type { AddressInfo, Server } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";
import { ensureCertificate } from "../local-secrets";
import { loadTenantFromFixtures, type LoadOptions } from "./state/fixtures";
import type { Tenant } from "./state/tenant";
import { createGraphHandler, type GraphHandler } from "./server";

/** Test-only helpers: an in-process simulator on an ephemeral http port with a test signing key. */

export const TID = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";
export const FOREIGN_TID = "2f4a9e1b-7c3d-4e5f-8a9b-0c1d2e3f4a5b";
export const ISSUER = `https://127.0.0.1:4443/${TID}/v2.0`;
export const CONTROL_SECRET = "test-control-secret";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const GRAPH_SP_ID = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
export const EXCHANGE_SP_ID = "2e82b531-9174-455f-9452-3d0e55040087";
export const PORTAL_APP_ID = "5a0f3c1e-8d2b-4f6a-9c7e-1b3d5f7a9c2e";

export const APPS = {
  oktaMail: "efb831c5-8fb7-46b8-9e6d-280c8c5911f2",
  oktaMailPreview: "aa3cfe53-5fca-445c-8660-f126b6368ffe",
  oktaAdmin: "c211a808-f71b-4081-a730-794698afb63c",
  nylas: "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94",
  outreach: "c34c8d7f-38d7-4af6-9d0d-7fbcd7fa5f74",
  litware: "ba8e3430-8d21-4f86-9ca2-a1b787af8e0e",
} as const;

export const USERS = {
  alex: { id: "0b6f7a1c-2d3e-4f50-8a61-7b8c9d0e1f21", wids: ["62e90394-69f5-4237-9190-012177145e10"] }, // Global Administrator
  priya: { id: "1c7a8b2d-3e4f-4061-9b72-8c9d0e1f2a32", wids: ["e8611ab8-c189-46e8-94e1-60213ab1f814"] }, // Privileged Role Administrator
  casey: { id: "2d8b9c3e-4f50-4172-8c83-9d0e1f2a3b43", wids: ["158c047a-c907-4556-b7ef-446551a6b5f7"] }, // Cloud Application Administrator
  sam: { id: "3e9c0d4f-5061-4283-9d94-0e1f2a3b4c54", wids: ["5d6b6bb7-de71-4623-b4af-96380a352509"] }, // Security Reader
  riley: { id: "4f0d1e50-6172-4394-8ea5-1f2a3b4c5d65", wids: [] as string[] },
  jordan: { id: "50e1f261-7283-44a5-9fb6-2a3b4c5d6e76", wids: [] as string[] },
} as const;
export type UserKey = keyof typeof USERS;

/** Every scope the portal's admin flows use: tests narrow it where a test is about scopes. */
export const ADMIN_SCOPES = "User.Read Directory.Read.All Application.ReadWrite.All DelegatedPermissionGrant.ReadWrite.All AppRoleAssignment.ReadWrite.All Policy.Read.All Policy.ReadWrite.Authorization Policy.ReadWrite.ConsentRequest Policy.ReadWrite.PermissionGrant ConsentRequest.Read.All AuditLog.Read.All Directory.ReadWrite.All";

const keyPair = generateKeyPair("RS256", { extractable: true });

export interface Sim {
  baseUrl: string;
  tenant: Tenant;
  handler: GraphHandler;
  token(user: UserKey, opts?: { scp?: string; claims?: JWTPayload; expiresIn?: string | number }): Promise<string>;
  appToken(roles: string[], opts?: { appId?: string; claims?: JWTPayload }): Promise<string>;
  sign(claims: JWTPayload, opts?: { expiresIn?: string | number; key?: CryptoKey }): Promise<string>;
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  control(method: string, path: string, body?: unknown, secret?: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

type HandlerOptions = { controlSecret?: string | undefined; roleSource?: "token" | "directory" };

export async function startSim(load: LoadOptions = {}, handlerOpts: HandlerOptions = { controlSecret: CONTROL_SECRET }): Promise<Sim> {
  return serve(load, handlerOpts, (handler) => createServer(handler), "http");
}

/**
 * The same simulator over https, as the portal's Graph client needs it (it sends tokens only over
 * https): for tests of lib/graph and of the code above it. The certificate is the one vitest's global
 * setup trusts. `delayMs` holds each request back a while before the simulator sees it (a network).
 */
export async function startHttpsSim(load: LoadOptions = {}, options: HandlerOptions & { delayMs?: () => number } = { controlSecret: CONTROL_SECRET }): Promise<Sim> {
  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const { delayMs, ...handlerOpts } = options;
  return serve(load, handlerOpts, (handler) =>
    createHttpsServer({ cert: tls.cert, key: tls.key }, delayMs ? (req: IncomingMessage, res: ServerResponse) => void setTimeout(() => handler(req, res), delayMs()) : handler),
    "https",
  );
}

async function serve(load: LoadOptions, handlerOpts: HandlerOptions, listen: (handler: GraphHandler) => Server, scheme: "http" | "https"): Promise<Sim> {
  const { privateKey, publicKey } = await keyPair;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const tenant = loadTenantFromFixtures(load);
  const handler = createGraphHandler({ tenant, issuer: ISSUER, keys: createLocalJWKSet({ keys: [jwk] }), ...handlerOpts });
  const server: Server = listen(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sign: Sim["sign"] = async (claims, opts = {}) =>
    new SignJWT({ aud: GRAPH_APP_ID, iss: ISSUER, tid: TID, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" })
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? "1h")
      .sign(opts.key ?? privateKey);

  const sim: Sim = {
    baseUrl, tenant, handler, sign,
    token: (user, opts = {}) => sign({ oid: USERS[user].id, scp: opts.scp ?? ADMIN_SCOPES, wids: [...USERS[user].wids], ...opts.claims }, { expiresIn: opts.expiresIn }),
    appToken: (roles, opts = {}) => sign({ oid: "0e66f1ea-e508-4063-aa36-6505db90cf23", azp: opts.appId ?? PORTAL_APP_ID, roles, idtyp: "app", ...opts.claims }),
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(path.startsWith("http") ? path : `${baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    },
    async control(method, path, body, secret = CONTROL_SECRET) {
      const res = await fetch(`${baseUrl}${path}`, {
        method, headers: { "x-sim-control": secret, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return sim;
}
