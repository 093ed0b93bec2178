import { afterAll, beforeEach, beforeAll, describe, expect, it } from "vitest";
import { APPS, EXCHANGE_SP_ID, GRAPH_APP_ID, GRAPH_SP_ID, startSim, USERS, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const MAIL_READ_ROLE = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"; // Microsoft Graph application permission Mail.Read
const FULL_ACCESS_AS_APP = "dc890d15-9560-4a4c-9b7f-a736ec74ec40"; // Exchange Online app role

async function createSp(appId: string, user: "alex" | "casey" = "casey") {
  const r = await sim.call("POST", "/v1.0/servicePrincipals", { token: await sim.token(user), body: { appId } });
  expect(r.status).toBe(201);
  return r.body as { id: string; appId: string; displayName: string };
}

describe("servicePrincipals", () => {
  it("finds Microsoft Graph by $filter and by alternate key, with its real permission catalog", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const list = await sim.call("GET", `/v1.0/servicePrincipals?$filter=appId eq '${GRAPH_APP_ID}'&$select=id,appId,displayName`, { token });
    expect(list.status).toBe(200);
    expect(list.body.value).toEqual([{ id: GRAPH_SP_ID, appId: GRAPH_APP_ID, displayName: "Microsoft Graph" }]);
    expect(list.body["@odata.context"]).toMatch(/\$metadata#servicePrincipals\(id,appId,displayName\)$/);
    const one = await sim.call("GET", `/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')`, { token });
    expect(one.status).toBe(200);
    expect(one.body.oauth2PermissionScopes.length).toBe(598);
    expect(one.body.appRoles.length).toBe(534);
    expect(one.body.oauth2PermissionScopes.find((s: { value: string }) => s.value === "Mail.ReadWrite")).toMatchObject({ id: "024d486e-b451-40bb-833d-3e66d98c5c73", type: "User" });
  });

  it("filters by displayName startswith and tags/any", async () => {
    const token = await sim.token("riley", { scp: "Application.Read.All" });
    const byName = await sim.call("GET", "/v1.0/servicePrincipals?$filter=startswith(displayName,'lit')&$select=displayName", { token });
    expect(byName.body.value.map((s: { displayName: string }) => s.displayName)).toEqual(["Litware Sign"]);
    const hidden = await sim.call("GET", "/v1.0/servicePrincipals?$filter=tags/any(t:t eq 'HideApp')&$select=displayName", { token });
    expect(hidden.body.value.map((s: { displayName: string }) => s.displayName)).toEqual(["Tailspin Reports"]);
  });

  it("instantiates a known vendor app (201) once; a second POST is 409", async () => {
    const sp = await createSp(APPS.oktaMail);
    expect(sp.displayName).toBe("Office 365 Mail for Okta Workflows");
    const again = await sim.call("POST", "/v1.0/servicePrincipals", { token: await sim.token("casey"), body: { appId: APPS.oktaMail } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("Request_MultipleObjectsWithSameKeyValue");
    const audits = sim.tenant.state.directoryAudits.filter((a) => a.activityDisplayName === "Add service principal");
    expect(audits).toHaveLength(1);
    expect(audits[0]?.initiatedBy.user?.id).toBe(USERS.casey.id);
  });

  it("refuses an unknown appId with Graph's 400", async () => {
    const r = await sim.call("POST", "/v1.0/servicePrincipals", { token: await sim.token("alex"), body: { appId: "11111111-2222-4333-8444-555555555555" } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("Request_BadRequest");
    expect(r.body.error.message).toContain("does not reference a valid application object");
  });

  it("refuses writes by regular users and readers even with the scope", async () => {
    for (const who of ["riley", "sam"] as const) {
      const r = await sim.call("POST", "/v1.0/servicePrincipals", { token: await sim.token(who), body: { appId: APPS.nylas } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("Authorization_RequestDenied");
    }
    expect(sim.tenant.servicePrincipalByAppId(APPS.nylas)).toBeUndefined();
  });

  it("refuses an admin whose token lacks the scope", async () => {
    const r = await sim.call("POST", "/v1.0/servicePrincipals", { token: await sim.token("alex", { scp: "Application.Read.All" }), body: { appId: APPS.nylas } });
    expect(r.status).toBe(403);
  });

  it("PATCHes appRoleAssignmentRequired, accountEnabled and tags (204) and refuses unsupported properties", async () => {
    const sp = await createSp(APPS.nylas);
    const token = await sim.token("casey");
    const r = await sim.call("PATCH", `/v1.0/servicePrincipals/${sp.id}`, { token, body: { appRoleAssignmentRequired: true, accountEnabled: false, tags: ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"] } });
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    const after = await sim.call("GET", `/v1.0/servicePrincipals/${sp.id}?$select=appRoleAssignmentRequired,accountEnabled,tags`, { token });
    expect(after.body).toMatchObject({ appRoleAssignmentRequired: true, accountEnabled: false, tags: ["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"] });
    expect((await sim.call("PATCH", `/v1.0/servicePrincipals/${sp.id}`, { token, body: { displayName: "x" } })).status).toBe(400);
  });

  it("DELETE cascades the app's grants and assignments; a missing id is 404", async () => {
    const sp = await createSp(APPS.oktaAdmin, "alex");
    const admin = await sim.token("alex");
    expect((await sim.call("POST", "/v1.0/oauth2PermissionGrants", { token: admin, body: { clientId: sp.id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "User.Read" } })).status).toBe(201);
    expect((await sim.call("POST", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, { token: admin, body: { principalId: sp.id, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE } })).status).toBe(201);
    expect((await sim.call("DELETE", `/v1.0/servicePrincipals/${sp.id}`, { token: admin })).status).toBe(204);
    expect([...sim.tenant.state.grants.values()].some((g) => g.clientId === sp.id)).toBe(false);
    expect([...sim.tenant.state.appRoleAssignments.values()].some((a) => a.principalId === sp.id)).toBe(false);
    const gone = await sim.call("GET", `/v1.0/servicePrincipals/${sp.id}`, { token: admin });
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("Request_ResourceNotFound");
    expect((await sim.call("GET", `/v1.0/servicePrincipals(appId='${APPS.oktaAdmin}')`, { token: admin })).status).toBe(404);
  });
});

describe("appRoleAssignedTo", () => {
  it("refuses a Cloud Application Administrator granting a Microsoft Graph app role (403), allows a Privileged Role Administrator", async () => {
    const sp = await createSp(APPS.oktaAdmin);
    const body = { principalId: sp.id, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE };
    const caa = await sim.call("POST", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, { token: await sim.token("casey"), body });
    expect(caa.status).toBe(403);
    expect(caa.body.error.code).toBe("Authorization_RequestDenied");
    const pra = await sim.call("POST", `/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')/appRoleAssignedTo`, { token: await sim.token("priya"), body });
    expect(pra.status).toBe(201);
    expect(pra.body).toMatchObject({ principalId: sp.id, resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE, principalType: "ServicePrincipal", resourceDisplayName: "Microsoft Graph" });
    expect(pra.body.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const dup = await sim.call("POST", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, { token: await sim.token("priya"), body });
    expect(dup.status).toBe(400);
    expect(dup.body.error.message).toContain("already exists");
    const listed = await sim.call("GET", `/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`, { token: await sim.token("riley", { scp: "Application.Read.All" }) });
    expect(listed.body.value.map((a: { appRoleId: string }) => a.appRoleId)).toEqual([MAIL_READ_ROLE]);
    const audit = sim.tenant.state.directoryAudits.at(-1);
    expect(audit?.activityDisplayName).toBe("Add app role assignment to service principal");
    expect(audit?.initiatedBy.user?.id).toBe(USERS.priya.id);
  });

  it("lets a Cloud Application Administrator assign a non-Graph API role and then revoke it", async () => {
    const sp = await createSp(APPS.outreach);
    const token = await sim.token("casey");
    const r = await sim.call("POST", `/v1.0/servicePrincipals/${EXCHANGE_SP_ID}/appRoleAssignedTo`, { token, body: { principalId: sp.id, resourceId: EXCHANGE_SP_ID, appRoleId: FULL_ACCESS_AS_APP } });
    expect(r.status).toBe(201);
    expect((await sim.call("DELETE", `/v1.0/servicePrincipals/${EXCHANGE_SP_ID}/appRoleAssignedTo/${r.body.id}`, { token })).status).toBe(204);
    expect((await sim.call("DELETE", `/v1.0/servicePrincipals/${EXCHANGE_SP_ID}/appRoleAssignedTo/${r.body.id}`, { token })).status).toBe(404);
    expect(sim.tenant.state.directoryAudits.at(-1)?.activityDisplayName).toBe("Remove app role assignment from service principal");
  });

  it("assigns a user with Default Access and refuses an unknown role or principal", async () => {
    const sp = await createSp(APPS.nylas);
    const token = await sim.token("casey");
    const ok = await sim.call("POST", `/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`, { token, body: { principalId: USERS.riley.id, resourceId: sp.id, appRoleId: "00000000-0000-0000-0000-000000000000" } });
    expect(ok.status).toBe(201);
    expect(ok.body.principalType).toBe("User");
    const badRole = await sim.call("POST", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, { token: await sim.token("alex"), body: { principalId: sp.id, resourceId: GRAPH_SP_ID, appRoleId: "12345678-1234-4234-8234-123456789012" } });
    expect(badRole.status).toBe(400);
    const badPrincipal = await sim.call("POST", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/appRoleAssignedTo`, { token: await sim.token("alex"), body: { principalId: "12345678-1234-4234-8234-123456789012", resourceId: GRAPH_SP_ID, appRoleId: MAIL_READ_ROLE } });
    expect(badPrincipal.status).toBe(404);
  });
});

describe("delegatedPermissionClassifications", () => {
  const path = `/v1.0/servicePrincipals(appId='${GRAPH_APP_ID}')/delegatedPermissionClassifications`;

  it("classifies a user-consentable permission as low, refuses duplicates and admin-only permissions, deletes", async () => {
    const token = await sim.token("casey");
    const before = await sim.call("GET", path, { token });
    expect(before.body.value.map((c: { permissionName: string }) => c.permissionName).sort()).toEqual(["User.Read", "email", "openid", "profile"]);
    const added = await sim.call("POST", path, { token, body: { permissionId: "024d486e-b451-40bb-833d-3e66d98c5c73", classification: "low" } });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ permissionName: "Mail.ReadWrite", classification: "low" });
    expect((await sim.call("POST", path, { token, body: { permissionName: "Mail.ReadWrite", classification: "low" } })).status).toBe(409);
    const admin = await sim.call("POST", path, { token, body: { permissionName: "Directory.Read.All", classification: "low" } });
    expect(admin.status).toBe(400);
    expect(admin.body.error.message).toContain("requires admin consent");
    expect((await sim.call("DELETE", `/v1.0/servicePrincipals/${GRAPH_SP_ID}/delegatedPermissionClassifications/${added.body.id}`, { token })).status).toBe(204);
    expect((await sim.call("GET", path, { token })).body.value).toHaveLength(4);
  });

  it("refuses a regular user", async () => {
    const r = await sim.call("POST", path, { token: await sim.token("riley"), body: { permissionName: "Mail.Send", classification: "low" } });
    expect(r.status).toBe(403);
  });
});
