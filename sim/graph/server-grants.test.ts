import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APPS, EXCHANGE_SP_ID, GRAPH_SP_ID, startSim, USERS, type Sim } from "./test-helpers";

let sim: Sim;
let clientId: string;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(async () => {
  sim.tenant.reset();
  clientId = sim.tenant.createServicePrincipal(APPS.oktaMail, sim.tenant.actorFor(USERS.alex.id)).id;
});

const grant = (over: Record<string, unknown> = {}) => ({ clientId, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read Mail.ReadWrite", ...over });

describe("oauth2PermissionGrants", () => {
  it("creates a tenant-wide grant (201) and refuses a duplicate (409)", async () => {
    const token = await sim.token("casey");
    const r = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ clientId, consentType: "AllPrincipals", principalId: null, resourceId: GRAPH_SP_ID, scope: "User.Read Mail.ReadWrite" });
    const dup = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ scope: "Mail.Send" }) });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("Request_MultipleObjectsWithSameKeyValue");
    // a per-user grant for the same pair is a different key
    const perUser = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ consentType: "Principal", principalId: USERS.riley.id }) });
    expect(perUser.status).toBe(201);
    expect(sim.tenant.state.directoryAudits.filter((a) => a.activityDisplayName === "Add delegated permission grant").length).toBe(1 + 2);
  });

  it("validates the body: consentType/principalId pairing, unknown ids", async () => {
    const token = await sim.token("casey");
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ principalId: USERS.riley.id }) })).status).toBe(400);
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ consentType: "Principal" }) })).status).toBe(400);
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ clientId: "12345678-1234-4234-8234-123456789012" }) })).status).toBe(404);
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ extra: 1 }) })).status).toBe(400);
  });

  it("PATCH replaces the whole scope string (204) and enforces 3850 characters", async () => {
    const token = await sim.token("casey");
    const { body: g } = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant() });
    expect((await sim.call("PATCH", `/v1.0/oauth2PermissionGrants/${g.id}`, { token, body: { scope: "Mail.Send" } })).status).toBe(204);
    const after = await sim.call("GET", `/v1.0/oauth2PermissionGrants/${g.id}`, { token });
    expect(after.body.scope).toBe("Mail.Send");
    const long = Array.from({ length: 400 }, () => "Mail.Send").join(" ");
    expect(long.length).toBeGreaterThan(3850);
    const tooLong = await sim.call("PATCH", `/v1.0/oauth2PermissionGrants/${g.id}`, { token, body: { scope: long } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain("3850");
    expect(sim.tenant.state.directoryAudits.at(-1)?.activityDisplayName).toBe("Update delegated permission grant");
  });

  // Microsoft Learn, "oAuth2PermissionGrant resource type": scope is a space-separated string whose values
  // *should* match the resource's published delegated permissions and must not exceed 3,850 characters.
  // Graph does not check the values, so neither does the simulator: only the portal can refuse a typo.
  it("stores a scope value the resource does not publish, on create and on PATCH, as Graph does (oAuth2PermissionGrant: scope is any string up to 3,850 characters)", async () => {
    const token = await sim.token("casey");
    const typo = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ scope: "Mail.ReadWrit" }) });
    expect(typo.status).toBe(201);
    expect(typo.body.scope).toBe("Mail.ReadWrit");
    const made = await sim.call("PATCH", `/v1.0/oauth2PermissionGrants/${typo.body.id}`, { token, body: { scope: "Mail.ReadWrit No.Such.Scope" } });
    expect(made.status).toBe(204);
    expect((await sim.call("GET", `/v1.0/oauth2PermissionGrants/${typo.body.id}`, { token })).body.scope).toBe("Mail.ReadWrit No.Such.Scope");
    const exactly = "x".repeat(3850);
    expect((await sim.call("PATCH", `/v1.0/oauth2PermissionGrants/${typo.body.id}`, { token, body: { scope: exactly } })).status).toBe(204);
    const over = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ consentType: "Principal", principalId: USERS.riley.id, scope: "x".repeat(3851) }) });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain("3850");
  });

  it("DELETE revokes (204), then 404", async () => {
    const token = await sim.token("casey");
    const { body: g } = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant() });
    expect((await sim.call("DELETE", `/v1.0/oauth2PermissionGrants/${g.id}`, { token })).status).toBe(204);
    expect((await sim.call("DELETE", `/v1.0/oauth2PermissionGrants/${g.id}`, { token })).status).toBe(404);
    expect((await sim.call("GET", `/v1.0/oauth2PermissionGrants/${g.id}`, { token })).status).toBe(404);
    const audit = sim.tenant.state.directoryAudits.at(-1);
    expect(audit?.activityDisplayName).toBe("Remove delegated permission grant");
    expect(audit?.initiatedBy.user?.userPrincipalName).toBe("casey.jensen@contoso.onmicrosoft.com");
  });

  it("lists with combined $filter clauses", async () => {
    const token = await sim.token("casey");
    await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant() });
    await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ consentType: "Principal", principalId: USERS.riley.id, scope: "Mail.Send" }) });
    await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant({ resourceId: EXCHANGE_SP_ID, scope: "EWS.AccessAsUser.All" }) });
    const q = async (f: string) => (await sim.call("GET", `/v1.0/oauth2PermissionGrants?$filter=${encodeURIComponent(f)}`, { token })).body.value as { scope: string }[];
    expect((await q(`clientId eq '${clientId}'`)).length).toBe(3);
    expect((await q(`clientId eq '${clientId}' and consentType eq 'AllPrincipals'`)).length).toBe(2);
    expect((await q(`clientId eq '${clientId}' and resourceId eq '${GRAPH_SP_ID}' and consentType eq 'AllPrincipals'`)).map((g) => g.scope)).toEqual(["User.Read Mail.ReadWrite"]);
    expect((await q(`principalId eq '${USERS.riley.id}'`)).map((g) => g.scope).sort()).toEqual(["Mail.Read Calendars.Read", "Mail.Send"]);
    // ne is an advanced query on directory objects, oAuth2PermissionGrant among them
    const ne = `/v1.0/oauth2PermissionGrants?$count=true&$filter=${encodeURIComponent(`consentType ne 'AllPrincipals' and clientId eq '${clientId}'`)}`;
    expect((await sim.call("GET", ne, { token, headers: { ConsistencyLevel: "eventual" } })).body.value.length).toBe(1);
    const bad = await sim.call("GET", `/v1.0/oauth2PermissionGrants?$filter=${encodeURIComponent("scope eq 'x'")}`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("Request_UnsupportedQuery");
  });

  it("lets any member read grants but only admins write them", async () => {
    const reader = await sim.token("riley", { scp: "Directory.Read.All" });
    expect((await sim.call("GET", "/v1.0/oauth2PermissionGrants", { token: reader })).status).toBe(200);
    const write = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token: await sim.token("riley"), body: grant() });
    expect(write.status).toBe(403);
    const sam = await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token: await sim.token("sam"), body: grant() });
    expect(sam.status).toBe(403);
  });

  it("lists an app's grants under its service principal", async () => {
    const token = await sim.token("casey");
    await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token, body: grant() });
    const r = await sim.call("GET", `/v1.0/servicePrincipals(appId='${APPS.oktaMail}')/oauth2PermissionGrants`, { token });
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(1);
  });
});
