import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APPS, GRAPH_SP_ID, startSim, USERS, type Sim } from "./test-helpers";

/**
 * Contract tests for Microsoft Learn, "Advanced query capabilities on Microsoft Entra ID objects"
 * (aka.ms/graph-docs/advanced-queries), and for the JSON batching rule on write parts' Content-Type
 * (Microsoft Learn, "Combine multiple HTTP requests using JSON batching").
 */

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const EVENTUAL = { ConsistencyLevel: "eventual" };
const IT_ADMINS = "c7a9bd0e-f691-4127-a018-e4bd15b5b1f5";
const ALEX_UPN = "alex.wilber@contoso.onmicrosoft.com";
const q = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query).toString().replace(/%24/g, "$")}`;

describe("advanced queries on directory objects", () => {
  it("silently ignores $count=true without ConsistencyLevel: eventual (no @odata.count), and counts with it", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const without = await sim.call("GET", "/v1.0/users?$count=true", { token });
    expect(without.status).toBe(200);
    expect(without.body).not.toHaveProperty("@odata.count");
    expect(without.body.value.length).toBe(sim.tenant.state.users.size);
    const withHeader = await sim.call("GET", "/v1.0/users?$count=true", { token, headers: EVENTUAL });
    expect(withHeader.body["@odata.count"]).toBe(sim.tenant.state.users.size);
    const sps = await sim.call("GET", "/v1.0/servicePrincipals?$count=true&$top=1", { token });
    expect(sps.body).not.toHaveProperty("@odata.count");
    // audit logs are not directory objects: $count keeps OData's plain meaning there
    const admin = await sim.token("alex");
    const audits = await sim.call("GET", "/v1.0/auditLogs/directoryAudits?$count=true&$top=1", { token: admin });
    expect(audits.status).toBe(200);
    expect(typeof audits.body["@odata.count"]).toBe("number");
  });

  it("answers the /$count segment with 400 '$count is not currently supported.' without the header, and a bare number with it", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const without = await sim.call("GET", "/v1.0/users/$count", { token });
    expect(without.status).toBe(400);
    expect(without.body.error).toMatchObject({ code: "Request_BadRequest", message: "$count is not currently supported." });
    const res = await fetch(`${sim.baseUrl}/v1.0/users/$count`, { headers: { authorization: `Bearer ${token}`, ...EVENTUAL } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(String(sim.tenant.state.users.size));
    const groups = await fetch(`${sim.baseUrl}/v1.0/groups/$count`, { headers: { authorization: `Bearer ${token}`, ...EVENTUAL } });
    expect(await groups.text()).toBe(String(sim.tenant.state.groups.size));
    const fab = await fetch(`${sim.baseUrl}${q("/v1.0/users/$count", { $filter: "endsWith(userPrincipalName,'wilber@contoso.onmicrosoft.com')" })}`, { headers: { authorization: `Bearer ${token}`, ...EVENTUAL } });
    expect(await fab.text()).toBe("1");
  });

  it.each([
    ["ne", `userPrincipalName ne '${ALEX_UPN}'`, 5],
    ["not", `not(userPrincipalName eq '${ALEX_UPN}')`, 5],
    ["endsWith", "endsWith(userPrincipalName,'wilber@contoso.onmicrosoft.com')", 1],
  ])("refuses $filter with %s (400 Request_UnsupportedQuery) unless both ConsistencyLevel: eventual and $count=true are sent", async (op, filter, matches) => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    for (const [query, headers] of [
      [{ $filter: filter }, {}],
      [{ $filter: filter }, EVENTUAL],
      [{ $filter: filter, $count: "true" }, {}],
    ] as const) {
      const r = await sim.call("GET", q("/v1.0/users", query), { token, headers });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("Request_UnsupportedQuery");
      expect(r.body.error.message).toContain(`Operator '${op}'`);
    }
    const ok = await sim.call("GET", q("/v1.0/users", { $filter: filter, $count: "true" }), { token, headers: EVENTUAL });
    expect(ok.status).toBe(200);
    expect(ok.body["@odata.count"]).toBe(matches);
    expect(ok.body.value.length).toBe(matches);
  });

  it("allows endsWith only on mail, otherMails, userPrincipalName and proxyAddresses, even in an advanced query", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const r = await sim.call("GET", q("/v1.0/users", { $filter: "endsWith(displayName,'Wilber')", $count: "true" }), { token, headers: EVENTUAL });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("Request_UnsupportedQuery");
  });

  it("applies the documented $orderby table: users by displayName by default; service principals by displayName and $filter with $orderby only in advanced queries", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const users = await sim.call("GET", q("/v1.0/users", { $orderby: "displayName desc", $select: "displayName" }), { token });
    expect(users.status).toBe(200);
    const names = users.body.value.map((u: { displayName: string }) => u.displayName);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a)));
    const both = q("/v1.0/users", { $filter: "startswith(displayName,'a')", $orderby: "displayName" });
    expect((await sim.call("GET", both, { token })).body.error.code).toBe("Request_UnsupportedQuery");
    expect((await sim.call("GET", `${both}&$count=true`, { token, headers: EVENTUAL })).status).toBe(200);
    const sps = q("/v1.0/servicePrincipals", { $orderby: "displayName", $select: "displayName", $top: "5" });
    expect((await sim.call("GET", sps, { token })).body.error.code).toBe("Request_UnsupportedQuery");
    const sorted = await sim.call("GET", `${sps}&$count=true`, { token, headers: EVENTUAL });
    expect(sorted.status).toBe(200);
    const spNames = sorted.body.value.map((s: { displayName: string }) => s.displayName.toLowerCase());
    expect(spNames).toEqual([...spNames].sort());
    // a property missing from the documented table cannot be sorted on at all
    expect((await sim.call("GET", q("/v1.0/users", { $orderby: "jobTitle", $count: "true" }), { token, headers: EVENTUAL })).body.error.code).toBe("Request_UnsupportedQuery");
  });

  it("refuses $search without ConsistencyLevel: eventual with Request_UnsupportedQuery, and needs no $count=true with it", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const without = await sim.call("GET", `/v1.0/users?$search="displayName:wilber"`, { token });
    expect(without.status).toBe(400);
    expect(without.body.error.code).toBe("Request_UnsupportedQuery");
    const withHeader = await sim.call("GET", `/v1.0/users?$search="displayName:wilber"`, { token, headers: EVENTUAL });
    expect(withHeader.body.value.map((u: { userPrincipalName: string }) => u.userPrincipalName)).toEqual([ALEX_UPN]);
  });

  it("refuses the OData cast on transitiveMembers unless both ConsistencyLevel: eventual and $count=true are sent", async () => {
    const token = await sim.token("riley", { scp: "GroupMember.Read.All" });
    const path = `/v1.0/groups/${IT_ADMINS}/transitiveMembers/microsoft.graph.user`;
    for (const [url, headers] of [[path, {}], [path, EVENTUAL], [`${path}?$count=true`, {}]] as const) {
      const r = await sim.call("GET", url, { token, headers });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("Request_UnsupportedQuery");
    }
    const ok = await sim.call("GET", `${path}?$count=true&$select=id`, { token, headers: EVENTUAL });
    expect(ok.status).toBe(200);
    expect(ok.body["@odata.count"]).toBe(4);
    expect(ok.body.value.map((u: { id: string }) => u.id).sort()).toEqual([USERS.alex.id, USERS.priya.id, USERS.casey.id, USERS.sam.id].sort());
    // the relationship itself is no advanced query
    expect((await sim.call("GET", `/v1.0/groups/${IT_ADMINS}/members`, { token })).status).toBe(200);
    const count = await fetch(`${sim.baseUrl}${path}/$count`, { headers: { authorization: `Bearer ${token}`, ...EVENTUAL } });
    expect(await count.text()).toBe("4");
  });

  it("takes the advanced query parameters from a $batch part's own headers", async () => {
    const token = await sim.token("riley", { scp: "GroupMember.Read.All" });
    const url = `/groups/${IT_ADMINS}/transitiveMembers/microsoft.graph.user?$count=true`;
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "with", method: "GET", url, headers: EVENTUAL },
      { id: "without", method: "GET", url },
    ] } });
    const by = Object.fromEntries(r.body.responses.map((p: { id: string; status: number; body: unknown }) => [p.id, p]));
    expect(by.with.status).toBe(200);
    expect(by.with.body["@odata.count"]).toBe(4);
    expect(by.without.status).toBe(400);
    expect(by.without.body.error.code).toBe("Request_UnsupportedQuery");
  });
});

describe("$batch write parts (JSON batching: a body needs a Content-Type header)", () => {
  it.each(["POST", "PATCH", "PUT"])("fails the whole batch with 400 when a %s part has a body but no Content-Type, and runs none of its parts", async (method) => {
    const token = await sim.token("casey");
    const clientId = sim.tenant.createServicePrincipal(APPS.oktaMail, sim.tenant.actorFor(USERS.alex.id)).id;
    const grants = sim.tenant.state.grants.size;
    const grant = { clientId, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read" };
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "1", method: "POST", url: "/oauth2PermissionGrants", body: grant, headers: { "Content-Type": "application/json" } },
      { id: "2", method, url: `/servicePrincipals/${clientId}`, body: { tags: ["x"] } },
    ] } });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("Content-Type");
    expect(sim.tenant.state.grants.size).toBe(grants);
  });

  it("runs a write part that names its Content-Type (any case), and a GET or DELETE part needs none", async () => {
    const token = await sim.token("casey");
    const clientId = sim.tenant.createServicePrincipal(APPS.oktaMail, sim.tenant.actorFor(USERS.alex.id)).id;
    const r = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [
      { id: "1", method: "POST", url: "/oauth2PermissionGrants", body: { clientId, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read" }, headers: { "content-type": "application/json" } },
      { id: "2", method: "GET", url: `/servicePrincipals/${clientId}` },
    ] } });
    expect(r.status).toBe(200);
    const [created, read] = r.body.responses;
    expect(created.status).toBe(201);
    expect(read.status).toBe(200);
    const del = await sim.call("POST", "/v1.0/$batch", { token, body: { requests: [{ id: "1", method: "DELETE", url: `/oauth2PermissionGrants/${created.body.id}` }] } });
    expect(del.body.responses[0].status).toBe(204);
  });
});
