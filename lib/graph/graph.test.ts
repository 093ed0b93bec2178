import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphHandler, loadTenantFromFixtures, type GraphHandler, type Tenant } from "@/sim/graph";
import { ensureCertificate } from "@/sim/local-secrets";
import { APPS, ADMIN_SCOPES, GRAPH_APP_ID, GRAPH_SP_ID, ISSUER, TID, USERS, type UserKey } from "@/sim/graph/test-helpers";
import { batch } from "./batch";
import { createGraphClient } from "./client";
import { listAll } from "./paging";
import { afterCreate, NotYetReplicatedError } from "./replication";
import type { RetryOptions } from "./retry-policy";

// lib/graph against the simulated Graph over https, with faults switched on (S10, S12, S13).

const RETRY: RetryOptions = { maxRetries: 3, baseDelayMs: 50, maxDelayMs: 5_000 };
let server: Server;
let handler: GraphHandler;
let tenant: Tenant;
let baseUrl: string;
let sign: (user: UserKey) => Promise<string>;

beforeAll(async () => {
  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" };
  tenant = loadTenantFromFixtures();
  handler = createGraphHandler({ tenant, issuer: ISSUER, keys: createLocalJWKSet({ keys: [jwk] }) });
  server = createServer({ cert: tls.cert, key: tls.key }, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sign = (user) =>
    new SignJWT({ aud: GRAPH_APP_ID, iss: ISSUER, tid: TID, oid: USERS[user].id, scp: ADMIN_SCOPES, wids: [...USERS[user].wids] })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  tenant.reset();
  handler.faults.clear();
});

function graphAs(user: UserKey) {
  return createGraphClient({ baseUrl, getAccessToken: () => sign(user), retry: RETRY });
}

async function elapsed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const result = await work();
  return [result, Date.now() - start];
}

describe("retries (S10)", () => {
  it("waits at least Retry-After seconds after a 429, then succeeds", async () => {
    handler.faults.set({ rules: [{ status: 429, pathPattern: "/servicePrincipals$", times: 1, retryAfterSeconds: 1 }] });
    const graph = graphAs("sam");
    const [page, ms] = await elapsed(() => graph.client.api("/servicePrincipals").get());
    expect(page.value.length).toBeGreaterThan(0);
    expect(graph.calls.map((call) => call.status)).toEqual([429, 200]);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(graph.calls.every((call) => call.requestId)).toBe(true);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    handler.faults.set({ rules: [{ status: 503, pathPattern: "/users$", times: 1, retryAfterSeconds: 2, retryAfterFormat: "http-date" }] });
    const graph = graphAs("sam");
    const [, ms] = await elapsed(() => graph.client.api("/users").get());
    expect(graph.calls.map((call) => call.status)).toEqual([503, 200]);
    // HTTP dates have whole seconds: a 2 s date is at least 1 s away.
    expect(ms).toBeGreaterThanOrEqual(1000);
  });

  it("backs off exponentially when there is no Retry-After, and gives up after maxRetries", async () => {
    handler.faults.set({ rules: [{ status: 504, pathPattern: "/groups$", retryAfterSeconds: null }] });
    const graph = graphAs("sam");
    const [error, ms] = await elapsed(() => graph.client.api("/groups").get().catch((e: unknown) => e));
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).statusCode).toBe(504);
    expect(graph.calls).toHaveLength(RETRY.maxRetries + 1);
    expect(ms).toBeGreaterThanOrEqual(50 + 100 + 200);
  });

  it("never retries a 403 or a 409", async () => {
    const casey = graphAs("casey");
    const okta = await casey.client.api("/servicePrincipals").post({ appId: APPS.oktaAdmin });
    const refused = await casey.client
      .api(`/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`)
      .post({ principalId: okta.id, resourceId: GRAPH_SP_ID, appRoleId: "7ab1d382-f21e-4acd-a863-ba3e13f7da61" })
      .catch((e: unknown) => e);
    expect((refused as GraphError).statusCode).toBe(403);
    const duplicate = await casey.client.api("/servicePrincipals").post({ appId: APPS.oktaAdmin }).catch((e: unknown) => e);
    expect((duplicate as GraphError).statusCode).toBe(409);
    expect(casey.calls.map((call) => call.status)).toEqual([201, 403, 409]);
  });
});

describe("replication delay (S12)", () => {
  it("retries a 404 on a just-created service principal until it is visible", async () => {
    handler.faults.set({ replicationDelayMs: 600 });
    const graph = graphAs("alex");
    const created = await graph.client.api("/servicePrincipals").post({ appId: APPS.nylas });
    const read = await afterCreate(() => graph.client.api(`/servicePrincipals/${created.id}`).get(), { baseDelayMs: 100, attempts: 6 });
    expect(read.appId).toBe(APPS.nylas);
    expect(graph.calls.filter((call) => call.status === 404).length).toBeGreaterThan(0);
  });

  it("reports 'not replicated yet' instead of success when retries run out", async () => {
    handler.faults.set({ replicationDelayMs: 5_000 });
    const graph = graphAs("alex");
    const created = await graph.client.api("/servicePrincipals").post({ appId: APPS.nylas });
    await expect(afterCreate(() => graph.client.api(`/servicePrincipals/${created.id}`).get(), { baseDelayMs: 20, attempts: 3 })).rejects.toBeInstanceOf(
      NotYetReplicatedError,
    );
  });
});

describe("$batch (S13)", () => {
  it("retries only the throttled parts and reports every part's own outcome", async () => {
    const casey = graphAs("casey");
    const okta = await casey.client.api("/servicePrincipals").post({ appId: APPS.oktaAdmin });
    handler.faults.set({ rules: [{ status: 429, pathPattern: "/groups$", times: 1, retryAfterSeconds: 1 }] });
    const results = await batch(
      casey.client,
      [
        { id: "users", method: "GET", url: "/users?$top=1" },
        { id: "graph-app-role", method: "POST", url: `/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, body: { principalId: okta.id, resourceId: GRAPH_SP_ID, appRoleId: "7ab1d382-f21e-4acd-a863-ba3e13f7da61" } },
        { id: "groups", method: "GET", url: "/groups" },
      ],
      RETRY,
    );
    expect(results.map(({ id, status, attempts }) => ({ id, status, attempts }))).toEqual([
      { id: "users", status: 200, attempts: 1 },
      { id: "graph-app-role", status: 403, attempts: 1 },
      { id: "groups", status: 200, attempts: 2 },
    ]);
  });

  it("splits more than 20 requests into several batches", async () => {
    const graph = graphAs("sam");
    const requests = Array.from({ length: 45 }, (_, i) => ({ id: String(i), method: "GET" as const, url: "/organization" }));
    const results = await batch(graph.client, requests, RETRY);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(graph.calls.filter((call) => call.url.endsWith("/$batch"))).toHaveLength(3);
  });
});

describe("paging", () => {
  it("follows @odata.nextLink to the end", async () => {
    const graph = graphAs("sam");
    const all = await listAll<{ id: string }>(graph.client, "/servicePrincipals?$top=2&$select=id");
    expect(all.length).toBe(tenant.state.servicePrincipals.size);
    expect(new Set(all.map((sp) => sp.id)).size).toBe(all.length);
    expect(graph.calls.length).toBe(Math.ceil(all.length / 2));
  });
});
