import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateLargeTenant } from "./generate";
import { APPS, GRAPH_SP_ID, startSim, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => {
  sim = await startSim();
  generateLargeTenant(sim.tenant, { servicePrincipals: 450, grants: 900, appRoleAssignments: 300, users: 20, seed: 7 });
});
afterAll(async () => { await sim.close(); });
beforeEach(async () => { expect((await sim.control("DELETE", "/_sim/faults")).status).toBe(204); });

describe("paging and query options", () => {
  it("follows absolute @odata.nextLink on the same host until every object is seen", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const total = sim.tenant.state.servicePrincipals.size;
    const seen = new Set<string>();
    let url: string | undefined = `${sim.baseUrl}/v1.0/servicePrincipals?$select=id,displayName&$top=100&$count=true`;
    let pages = 0;
    while (url) {
      // a directory object counts only in an advanced query (the header is not in the nextLink)
      const r = await sim.call("GET", url, { token, headers: { ConsistencyLevel: "eventual" } });
      expect(r.status).toBe(200);
      if (pages === 0) expect(r.body["@odata.count"]).toBe(total);
      for (const s of r.body.value) seen.add(s.id);
      url = r.body["@odata.nextLink"];
      if (url) expect(url.startsWith(`${sim.baseUrl}/v1.0/servicePrincipals?`)).toBe(true);
      pages++;
    }
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));
  });

  it("defaults to 100 and bounds $top to 1..999", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const def = await sim.call("GET", "/v1.0/oauth2PermissionGrants", { token });
    expect(def.body.value).toHaveLength(100);
    const max = await sim.call("GET", "/v1.0/oauth2PermissionGrants?$top=999", { token });
    expect(max.body.value).toHaveLength(sim.tenant.state.grants.size);
    expect(max.body["@odata.nextLink"]).toBeUndefined();
    for (const bad of ["0", "1000", "abc"]) {
      const r = await sim.call("GET", `/v1.0/oauth2PermissionGrants?$top=${bad}`, { token });
      expect(r.status).toBe(400);
    }
  });

  it("refuses unknown $select properties, unsupported options and bad skip tokens", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    expect((await sim.call("GET", "/v1.0/servicePrincipals?$select=nope", { token })).status).toBe(400);
    // $expand exists on service principals only (server-graph-fidelity.test.ts); elsewhere it is refused
    expect((await sim.call("GET", "/v1.0/oauth2PermissionGrants?$expand=clientServicePrincipal", { token: await sim.token("alex") })).body.error.code).toBe("Request_UnsupportedQuery");
    expect((await sim.call("GET", "/v1.0/servicePrincipals?$filter=endswith(displayName,'x')", { token })).body.error.code).toBe("Request_UnsupportedQuery");
    expect((await sim.call("GET", "/v1.0/servicePrincipals?$skiptoken=garbage", { token })).status).toBe(400);
  });

  it("supports $search on displayName with ConsistencyLevel: eventual only", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const without = await sim.call("GET", `/v1.0/servicePrincipals?$search="displayName:tailspin reports"`, { token });
    expect(without.status).toBe(400);
    const withHeader = await sim.call("GET", `/v1.0/servicePrincipals?$search="displayName:tailspin reports"&$select=displayName`, { token, headers: { ConsistencyLevel: "eventual" } });
    expect(withHeader.body.value).toEqual([{ id: "1af31aeb-c76c-4838-8ed7-0f1edc2c17ea", displayName: "Tailspin Reports" }]);
  });
});

describe("$batch", () => {
  it("runs parts independently: 200, 403 and 404 side by side", async () => {
    const token = await sim.token("casey");
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "1", method: "GET", url: `/servicePrincipals/${GRAPH_SP_ID}?$select=id` },
      { id: "2", method: "POST", url: `/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, headers: { "Content-Type": "application/json" },
        body: { principalId: "1d73e83d-00dc-4f16-a38c-3b3b1c140ea8", resourceId: GRAPH_SP_ID, appRoleId: "810c84a8-4a9e-49e6-bf7d-12d183f40d01" } },
      { id: "3", method: "GET", url: "/servicePrincipals/00000000-1111-4222-8333-444444444444" },
    ] } });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.responses.map((p: { id: string; status: number }) => [p.id, p]));
    expect(byId["1"].status).toBe(200);
    expect(byId["1"].body.id).toBe(GRAPH_SP_ID);
    expect(byId["2"].status).toBe(403);
    expect(byId["2"].body.error.code).toBe("Authorization_RequestDenied");
    expect(byId["3"].status).toBe(404);
  });

  it("throttles parts on their own: a batch answered 200 holds inner 429s with Retry-After", async () => {
    await sim.control("POST", "/_sim/faults", { rules: [{ status: 429, everyNth: 2, pathPattern: "/oauth2PermissionGrants", retryAfterSeconds: 3 }] });
    const token = await sim.token("casey");
    const requests = Array.from({ length: 4 }, (_, i) => ({ id: String(i), method: "GET", url: "/oauth2PermissionGrants?$top=1" }));
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests } });
    expect(r.status).toBe(200);
    const statuses = r.body.responses.map((p: { status: number }) => p.status);
    expect(statuses).toEqual([200, 429, 200, 429]);
    expect(r.body.responses[1].headers["retry-after"]).toBe("3");
    expect(r.body.responses[1].body.error.code).toBe("TooManyRequests");
  });

  it("refuses more than 20 requests and duplicate ids", async () => {
    const token = await sim.token("casey");
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: "GET", url: "/me" }));
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("20");
    const ok = await sim.call("POST", "/beta/$batch", { token, body: { requests: requests.slice(0, 20) } });
    expect(ok.status).toBe(200);
    expect(ok.body.responses).toHaveLength(20);
    const dup = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [{ id: "a", method: "GET", url: "/me" }, { id: "a", method: "GET", url: "/me" }] } });
    expect(dup.status).toBe(400);
  });

  it("answers 424 for a part whose dependency failed", async () => {
    const token = await sim.token("casey");
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "1", method: "GET", url: "/servicePrincipals/00000000-1111-4222-8333-444444444444" },
      { id: "2", method: "GET", url: "/me", dependsOn: ["1"] },
    ] } });
    expect(r.body.responses.map((p: { status: number }) => p.status)).toEqual([404, 424]);
  });
});

describe("fault injection", () => {
  it("returns 429 with Retry-After in seconds, only for the matching method and path, and only `times` times", async () => {
    await sim.control("POST", "/_sim/faults", { rules: [{ status: 429, methods: ["POST"], pathPattern: "^/v1\\.0/servicePrincipals$", retryAfterSeconds: 7, times: 1 }] });
    const token = await sim.token("casey");
    expect((await sim.call("GET", "/v1.0/servicePrincipals?$top=1", { token })).status).toBe(200);
    const first = await sim.call("POST", "/v1.0/servicePrincipals", { token, body: { appId: APPS.nylas } });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("7");
    expect(sim.tenant.servicePrincipalByAppId(APPS.nylas)).toBeUndefined();
    expect((await sim.call("POST", "/v1.0/servicePrincipals", { token, body: { appId: APPS.nylas } })).status).toBe(201);
  });

  it("can send Retry-After as an HTTP date, or none at all", async () => {
    await sim.control("POST", "/_sim/faults", { rules: [{ status: 503, retryAfterSeconds: 30, retryAfterFormat: "http-date", times: 1 }, { status: 504, retryAfterSeconds: null }] });
    const token = await sim.token("riley", { scp: "User.Read" });
    const r = await sim.call("GET", "/v1.0/me", { token });
    expect(r.status).toBe(503);
    const when = Date.parse(r.headers.get("retry-after") ?? "");
    expect(when - Date.now()).toBeGreaterThan(25_000);
    expect(when - Date.now()).toBeLessThan(35_000);
    const r2 = await sim.call("GET", "/v1.0/me", { token });
    expect(r2.status).toBe(504);
    expect(r2.headers.get("retry-after")).toBeNull();
  });

  it("fails a deterministic share of calls with a seeded rate", async () => {
    const run = async () => {
      await sim.control("POST", "/_sim/faults", { seed: 3, rules: [{ status: 429, rate: 0.5 }] });
      const token = await sim.token("riley", { scp: "User.Read" });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await sim.call("GET", "/v1.0/me", { token })).status);
      return out;
    };
    const a = await run();
    expect(a.filter((s) => s === 429).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
    expect(await run()).toEqual(a);
  });

  it("adds latency", async () => {
    await sim.control("POST", "/_sim/faults", { latencyMs: 120 });
    const token = await sim.token("riley", { scp: "User.Read" });
    const t0 = performance.now();
    expect((await sim.call("GET", "/v1.0/me", { token })).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("simulates replication delay: a new service principal is 404 until the delay passes", async () => {
    await sim.control("POST", "/_sim/faults", { replicationDelayMs: 250 });
    const token = await sim.token("alex");
    const created = await sim.call("POST", "/v1.0/servicePrincipals", { token, body: { appId: APPS.outreach } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await sim.call("GET", `/v1.0/servicePrincipals/${id}`, { token })).status).toBe(404);
    expect((await sim.call("PATCH", `/v1.0/servicePrincipals/${id}`, { token, body: { tags: [] } })).status).toBe(404);
    const grant = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: { clientId: id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read" } });
    expect(grant.status).toBe(404);
    await new Promise((r) => setTimeout(r, 280));
    expect((await sim.call("GET", `/v1.0/servicePrincipals/${id}`, { token })).status).toBe(200);
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: { clientId: id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read" } })).status).toBe(201);
  });

  it("never applies faults to /_sim, which needs the shared secret", async () => {
    await sim.control("POST", "/_sim/faults", { rules: [{ status: 429 }] });
    expect((await sim.control("GET", "/_sim/state")).status).toBe(200);
    expect((await sim.control("GET", "/_sim/state", undefined, "wrong")).status).toBe(403);
    const bad = await sim.control("POST", "/_sim/faults", { rules: [{ status: 418 }] });
    expect(bad.status).toBe(400);
  });
});

describe("simulator control", () => {
  it("snapshots, restores and resets the tenant", async () => {
    const token = await sim.token("alex");
    expect((await sim.control("POST", "/_sim/snapshot", { name: "before" })).status).toBe(200);
    await sim.call("POST", "/v1.0/servicePrincipals", { token, body: { appId: APPS.oktaMailPreview } });
    expect(sim.tenant.servicePrincipalByAppId(APPS.oktaMailPreview)).toBeDefined();
    expect((await sim.control("POST", "/_sim/restore", { name: "before" })).status).toBe(204);
    expect(sim.tenant.servicePrincipalByAppId(APPS.oktaMailPreview)).toBeUndefined();
    expect((await sim.control("POST", "/_sim/restore", { name: "missing" })).status).toBe(404);
    const state = await sim.control("GET", "/_sim/state");
    expect(state.body.counts.servicePrincipals).toBe(sim.tenant.state.servicePrincipals.size);
  });
});
