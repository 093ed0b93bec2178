import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXCHANGE_SP_ID, GRAPH_APP_ID, GRAPH_SP_ID, ISSUER, startSim, USERS, type Sim } from "./test-helpers";

// Graph rules the simulated tenant follows, each named after the Microsoft Learn page that documents it:
// a portal that is green against the simulator must not be relying on a kindness real Graph lacks.

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const SALES_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const PORTAL_SP_ID = "0e66f1ea-e508-4063-aa36-6505db90cf23";
const LITWARE_SP_ID = "1d73e83d-00dc-4f16-a38c-3b3b1c140ea8";
const NOBODY = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const MAIL_READ_ROLE = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"; // Microsoft Graph application permission Mail.Read

describe("directoryObjects (directoryobject-getbyids, directoryobject-get)", () => {
  it("POST /directoryObjects/getByIds returns only the ids it finds, each typed (directoryobject-getbyids)", async () => {
    const r = await sim.call("POST", "/v1.0/directoryObjects/getByIds", {
      token: await sim.token("riley", { scp: "Directory.Read.All" }),
      body: { ids: [USERS.jordan.id, NOBODY, SALES_GROUP, GRAPH_SP_ID] },
    });
    expect(r.status).toBe(200);
    expect(r.body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#directoryObjects$/);
    expect(r.body.value.map((o: { id: string; "@odata.type": string }) => [o.id, o["@odata.type"]])).toEqual([
      [USERS.jordan.id, "#microsoft.graph.user"],
      [SALES_GROUP, "#microsoft.graph.group"],
      [GRAPH_SP_ID, "#microsoft.graph.servicePrincipal"],
    ]);
    expect(r.body.value[2].displayName).toBe("Microsoft Graph");
  });

  it("POST /directoryObjects/getByIds narrows to the types asked for, case-insensitively (directoryobject-getbyids)", async () => {
    const r = await sim.call("POST", "/v1.0/directoryObjects/getByIds", {
      token: await sim.token("riley", { scp: "Directory.Read.All" }),
      body: { ids: [USERS.jordan.id, SALES_GROUP, GRAPH_SP_ID], types: ["ServicePrincipal", "GROUP"] },
    });
    expect(r.status).toBe(200);
    expect(r.body.value.map((o: { id: string }) => o.id)).toEqual([SALES_GROUP, GRAPH_SP_ID]);
    const devices = await sim.call("POST", "/v1.0/directoryObjects/getByIds", {
      token: await sim.token("riley", { scp: "Directory.Read.All" }), body: { ids: [USERS.jordan.id], types: ["device"] },
    });
    expect(devices.body.value).toEqual([]);
  });

  it("POST /directoryObjects/getByIds takes up to 1,000 GUIDs and needs Directory.Read.All (directoryobject-getbyids)", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    expect((await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token, body: { ids: ids(1000) } })).status).toBe(200);
    const tooMany = await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token, body: { ids: ids(1001) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/1000/);
    const notGuid = await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token, body: { ids: ["jordan"] } });
    expect(notGuid.status).toBe(400);
    expect(notGuid.body.error.message).toBe("Invalid object identifier 'jordan'.");
    const badType = await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token, body: { ids: ids(1), types: ["mailbox"] } });
    expect(badType.status).toBe(400);
    const userRead = await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token: await sim.token("riley", { scp: "User.Read.All" }), body: { ids: ids(1) } });
    expect(userRead.status).toBe(403);
    const app = await sim.call("POST", "/v1.0/directoryObjects/getByIds", { token: await sim.appToken(["Directory.Read.All"]), body: { ids: [USERS.alex.id] } });
    expect(app.body.value.map((o: { id: string }) => o.id)).toEqual([USERS.alex.id]);
  });

  it("GET /directoryObjects/{id} answers any directory object with its @odata.type, 404 for none (directoryobject-get)", async () => {
    const token = await sim.token("riley", { scp: "Directory.Read.All" });
    const sp = await sim.call("GET", `/v1.0/directoryObjects/${EXCHANGE_SP_ID}`, { token });
    expect(sp.status).toBe(200);
    expect(sp.body).toMatchObject({ "@odata.type": "#microsoft.graph.servicePrincipal", id: EXCHANGE_SP_ID });
    expect(sp.body["@odata.context"]).toMatch(/\$metadata#directoryObjects\/\$entity$/);
    const user = await sim.call("GET", `/v1.0/directoryObjects/${USERS.sam.id}?$select=displayName`, { token });
    expect(user.body).toMatchObject({ id: USERS.sam.id, displayName: "Sam Okafor" });
    const none = await sim.call("GET", `/v1.0/directoryObjects/${NOBODY}`, { token });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe("Request_ResourceNotFound");
  });
});

describe("POST /servicePrincipals/{id}/appRoleAssignments (serviceprincipal-post-approleassignments)", () => {
  it("assigns an app role from the client's side: the same assignment appRoleAssignedTo shows (serviceprincipal-post-approleassignments)", async () => {
    const token = await sim.token("priya");
    const r = await sim.call("POST", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, {
      token, body: { principalId: LITWARE_SP_ID, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ principalId: LITWARE_SP_ID, principalType: "ServicePrincipal", resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE, resourceDisplayName: "Microsoft Graph" });
    expect(r.body["@odata.context"]).toContain(`servicePrincipals('${LITWARE_SP_ID}')/appRoleAssignments/$entity`);
    const onResource = await sim.call("GET", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo?$filter=principalId eq '${LITWARE_SP_ID}'`, { token });
    expect(onResource.body.value.map((a: { id: string }) => a.id)).toEqual([r.body.id]);

    const again = await sim.call("POST", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, {
      token, body: { principalId: LITWARE_SP_ID, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe("Permission being assigned already exists on the object");

    const removed = await sim.call("DELETE", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments/${r.body.id}`, { token });
    expect(removed.status).toBe(204);
    const held = await sim.call("GET", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, { token });
    expect(held.body.value).toEqual([]);
  });

  it("keeps appRoleAssignedTo's rules: Graph app roles need Privileged Role Administrator, principalId is the URL's app (serviceprincipal-post-approleassignments)", async () => {
    const body = { principalId: LITWARE_SP_ID, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE };
    const casey = await sim.call("POST", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, { token: await sim.token("casey"), body });
    expect(casey.status).toBe(403);
    const mismatch = await sim.call("POST", `/v1.0/servicePrincipals/${PORTAL_SP_ID}/appRoleAssignments`, { token: await sim.token("alex"), body });
    expect(mismatch.status).toBe(400);
    const unknownRole = await sim.call("POST", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, {
      token: await sim.token("alex"), body: { ...body, appRoleId: NOBODY },
    });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.error.message).toBe(`Permission being assigned was not found on application '${GRAPH_APP_ID}'.`);
    const noResource = await sim.call("POST", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments`, {
      token: await sim.token("alex"), body: { ...body, resourceId: NOBODY },
    });
    expect(noResource.status).toBe(404);
  });
});

describe("$expand on service principals (query-parameters: expand)", () => {
  /** 25 of Microsoft Graph's app roles granted to Litware: more than an expansion may carry. */
  function grantManyRoles(n: number): void {
    const roles = sim.tenant.servicePrincipal(GRAPH_SP_ID)!.appRoles.slice(0, n);
    const actor = sim.tenant.actorFor(USERS.alex.id);
    for (const role of roles) sim.tenant.createAppRoleAssignment(GRAPH_SP_ID, { principalId: LITWARE_SP_ID, resourceId: GRAPH_SP_ID, appRoleId: role.id }, actor);
  }

  it("an expanded directory-object relationship carries at most 20 items and no nextLink (query-parameters: expand)", async () => {
    grantManyRoles(25);
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const expanded = await sim.call("GET", `/v1.0/servicePrincipals/${LITWARE_SP_ID}?$select=id,displayName&$expand=appRoleAssignments`, { token });
    expect(expanded.status).toBe(200);
    expect(expanded.body.displayName).toBe("Litware Sign");
    expect(expanded.body.appRoleAssignments).toHaveLength(20);
    expect(expanded.body["appRoleAssignments@odata.nextLink"]).toBeUndefined();
    const listed = await sim.call("GET", `/v1.0/servicePrincipals/${LITWARE_SP_ID}/appRoleAssignments?$top=999`, { token });
    expect(listed.body.value).toHaveLength(25);
  });

  it("expands on a collection too, with a nested $select, and keeps $expand on the nextLink (query-parameters: expand)", async () => {
    grantManyRoles(3);
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const page = await sim.call("GET", `/v1.0/servicePrincipals?$top=2&$select=id&$expand=appRoleAssignedTo($select=principalId),owners`, { token });
    expect(page.status).toBe(200);
    expect(page.body["@odata.nextLink"]).toContain("$expand=");
    const graph = await sim.call("GET", `/v1.0/servicePrincipals?$filter=id eq '${GRAPH_SP_ID}'&$select=id&$expand=appRoleAssignedTo($select=principalId)`, { token });
    const assigned = graph.body.value[0].appRoleAssignedTo as Record<string, unknown>[];
    expect(assigned.filter((a) => a.principalId === LITWARE_SP_ID)).toHaveLength(3);
    expect(Object.keys(assigned[0]!).sort()).toEqual(["id", "principalId"]);
    const next = await sim.call("GET", page.body["@odata.nextLink"], { token });
    expect(next.body.value.every((s: Record<string, unknown>) => Array.isArray(s.appRoleAssignedTo) && Array.isArray(s.owners))).toBe(true);
  });

  it("refuses a relationship the type does not have, and $expand with an advanced query (query-parameters: expand)", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const unknown = await sim.call("GET", `/v1.0/servicePrincipals/${GRAPH_SP_ID}?$expand=members`, { token });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe("Could not find a property named 'members' on type 'microsoft.graph.servicePrincipal'.");
    const advanced = await sim.call("GET", `/v1.0/servicePrincipals?$expand=owners&$count=true`, { token, headers: { ConsistencyLevel: "eventual" } });
    expect(advanced.status).toBe(400);
  });
});

describe("401 answers carry Graph's Bearer challenge (claims-challenge)", () => {
  const challenge = `Bearer realm="", authorization_uri="${ISSUER}/auth", client_id="00000003-0000-0000-c000-000000000000"`;

  it("a missing token is answered 401 with WWW-Authenticate naming the authorization endpoint and Graph (claims-challenge)", async () => {
    const r = await sim.call("GET", "/v1.0/me");
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe(challenge);
  });

  it("an expired token gets the same challenge; a 403 gets none (claims-challenge)", async () => {
    const expired = await sim.sign({ oid: USERS.riley.id, scp: "User.Read" }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const r = await sim.call("GET", "/v1.0/me", { token: expired });
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toBe(challenge);
    const forbidden = await sim.call("GET", "/v1.0/servicePrincipals", { token: await sim.token("riley", { scp: "User.Read" }) });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toBeNull();
  });
});

describe("unresolved paths name the segment that failed (Resource not found for the segment)", () => {
  it.each([
    [`/v1.0/servicePrincipals/${GRAPH_SP_ID}/owners`, "owners"],
    [`/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')/synchronization`, "synchronization"],
    [`/v1.0/groups/${SALES_GROUP}/transitiveMembers/microsoft.graph.device`, "microsoft.graph.device"],
    ["/v1.0/applications", "applications"],
    ["/v1.0/roleManagement/entitlementManagement/roleAssignments", "entitlementManagement"],
  ])("GET %s fails on '%s'", async (path, segment) => {
    const r = await sim.call("GET", path, { token: await sim.token("alex") });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "BadRequest", message: `Resource not found for the segment '${segment}'.` });
  });
});
