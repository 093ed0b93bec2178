import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APPS, startSim, USERS, type Sim } from "./test-helpers";

let sim: Sim;
beforeAll(async () => { sim = await startSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

describe("users, groups, roles, organization", () => {
  it("lists users with startswith and gets one by id or UPN", async () => {
    const token = await sim.token("riley", { scp: "User.ReadBasic.All" });
    const list = await sim.call("GET", "/v1.0/users?$filter=startswith(displayName,'pri')&$select=displayName", { token });
    expect(list.body.value).toEqual([{ id: USERS.priya.id, displayName: "Priya Raman" }]);
    expect((await sim.call("GET", "/v1.0/users/casey.jensen@contoso.onmicrosoft.com", { token })).body.id).toBe(USERS.casey.id);
    expect((await sim.call("GET", `/v1.0/users/${USERS.alex.id}`, { token })).status).toBe(200);
    expect((await sim.call("GET", "/v1.0/users/nobody@contoso.onmicrosoft.com", { token })).status).toBe(404);
    // the user from another tenant in users.json is not a member of this directory
    expect((await sim.call("GET", "/v1.0/users/morgan.blake@fabrikam.onmicrosoft.com", { token })).status).toBe(404);
  });

  it("User.Read alone reads only yourself", async () => {
    const token = await sim.token("riley", { scp: "User.Read" });
    expect((await sim.call("GET", `/v1.0/users/${USERS.riley.id}`, { token })).status).toBe(200);
    expect((await sim.call("GET", `/v1.0/users/${USERS.alex.id}`, { token })).status).toBe(403);
  });

  it("resolves group members and nested transitive user members", async () => {
    const token = await sim.token("riley", { scp: "GroupMember.Read.All" });
    const direct = await sim.call("GET", "/v1.0/groups/c7a9bd0e-f691-4127-a018-e4bd15b5b1f5/members", { token });
    expect(direct.body.value.map((m: { "@odata.type": string }) => m["@odata.type"]).sort()).toEqual(["#microsoft.graph.group", "#microsoft.graph.user"]);
    const transitive = await sim.call("GET", "/v1.0/groups/c7a9bd0e-f691-4127-a018-e4bd15b5b1f5/transitiveMembers/microsoft.graph.user?$count=true", { token, headers: { ConsistencyLevel: "eventual" } });
    expect(transitive.body.value.map((u: { id: string }) => u.id).sort()).toEqual([USERS.alex.id, USERS.priya.id, USERS.casey.id, USERS.sam.id].sort());
  });

  it("filters role assignments by roleDefinitionId and principalId", async () => {
    const token = await sim.token("riley", { scp: "RoleManagement.Read.Directory" });
    const r = await sim.call("GET", "/v1.0/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '158c047a-c907-4556-b7ef-446551a6b5f7'", { token });
    expect(r.body.value.map((a: { principalId: string }) => a.principalId)).toEqual([USERS.casey.id]);
    const mine = await sim.call("GET", `/v1.0/roleManagement/directory/roleAssignments?$filter=principalId eq '${USERS.riley.id}'`, { token });
    expect(mine.body.value).toEqual([]);
  });

  it("returns the organization", async () => {
    const r = await sim.call("GET", "/v1.0/organization", { token: await sim.token("riley", { scp: "User.Read" }) });
    expect(r.body.value[0]).toMatchObject({ id: "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a", displayName: "Contoso (simulated)" });
  });
});

describe("appConsentRequests", () => {
  const base = "/v1.0/identityGovernance/appConsent/appConsentRequests";

  it("lists pending requests with the any() filter and reads their userConsentRequests", async () => {
    sim.tenant.state.adminConsentRequestPolicy.isEnabled = true;
    sim.tenant.createConsentRequest(USERS.jordan.id, APPS.oktaMail, "Need to automate mail flows");
    const token = await sim.token("casey");
    const pending = await sim.call("GET", `${base}?$filter=${encodeURIComponent("userConsentRequests/any(u:u/status eq 'InProgress')")}`, { token });
    expect(pending.status).toBe(200);
    const okta = pending.body.value.find((r: { appId: string }) => r.appId === APPS.oktaMail);
    expect(okta).toBeDefined();
    expect(okta.userConsentRequests).toBeUndefined();
    expect(okta.pendingScopes.map((s: { displayName: string }) => s.displayName)).toContain("Mail.ReadWrite");
    expect(pending.body.value.some((r: { appId: string }) => r.appId === APPS.outreach)).toBe(false); // its only request expired
    const users = await sim.call("GET", `${base}/${okta.id}/userConsentRequests`, { token });
    expect(users.body.value[0]).toMatchObject({ status: "InProgress", reason: "Need to automate mail flows", createdBy: { user: { id: USERS.jordan.id } } });
    expect((await sim.call("GET", base, { token: await sim.token("riley") })).status).toBe(403);
  });

  it("filterByCurrentUser(on='reviewer') returns requests only to named reviewers", async () => {
    sim.tenant.setAdminConsentRequestPolicy({ isEnabled: true, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30,
      reviewers: [{ query: `/users/${USERS.jordan.id}`, queryType: "MicrosoftGraph", queryRoot: null }] }, sim.tenant.actorFor(USERS.alex.id));
    sim.tenant.createConsentRequest(USERS.riley.id, APPS.outreach, "Sequences");
    const path = `${base}/filterByCurrentUser(on='reviewer')`;
    const reviewer = await sim.call("GET", path, { token: await sim.token("jordan", { scp: "ConsentRequest.Read.All" }) });
    expect(reviewer.body.value.map((r: { appId: string }) => r.appId)).toContain(APPS.outreach);
    const other = await sim.call("GET", path, { token: await sim.token("riley", { scp: "ConsentRequest.Read.All" }) });
    expect(other.body.value).toEqual([]);
  });
});

describe("audit logs and sign-ins", () => {
  it("filters directoryAudits by activity and time, newest first", async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const actor = sim.tenant.actorFor(USERS.alex.id);
    sim.tenant.grantAdminConsent(APPS.nylas, {}, actor);
    const token = await sim.token("sam", { scp: "AuditLog.Read.All" });
    const f = encodeURIComponent(`activityDisplayName eq 'Consent to application' and activityDateTime ge ${before}`);
    const r = await sim.call("GET", `/v1.0/auditLogs/directoryAudits?$filter=${f}`, { token });
    expect(r.status).toBe(200);
    expect(r.body.value).toHaveLength(1);
    expect(r.body.value[0]).toMatchObject({ activityDisplayName: "Consent to application", initiatedBy: { user: { id: USERS.alex.id } } });
    const all = await sim.call("GET", "/v1.0/auditLogs/directoryAudits?$top=3", { token });
    const times = all.body.value.map((a: { activityDateTime: string }) => a.activityDateTime);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.body["@odata.nextLink"]).toContain("$skiptoken=");
    expect((await sim.call("GET", "/v1.0/auditLogs/directoryAudits", { token: await sim.token("casey") })).status).toBe(403);
  });

  it("finds sign-ins by correlationId, user and time window", async () => {
    const token = await sim.token("sam", { scp: "AuditLog.Read.All Directory.Read.All" });
    const byCorrelation = await sim.call("GET", `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent("correlationId eq '0f1e2d3c-4b5a-4697-8877-665544332211'")}`, { token });
    expect(byCorrelation.body.value).toHaveLength(1);
    expect(byCorrelation.body.value[0].status.errorCode).toBe(90094);
    const f = encodeURIComponent("userPrincipalName eq 'jordan.diaz@contoso.onmicrosoft.com' and createdDateTime ge 2026-11-21T00:00:00Z and createdDateTime le 2026-11-21T23:59:59Z");
    const byUser = await sim.call("GET", `/v1.0/auditLogs/signIns?$filter=${f}`, { token });
    expect(byUser.body.value.map((s: { status: { errorCode: number } }) => s.status.errorCode)).toEqual([90094, 65001]);
    sim.tenant.recordSignIn({ userId: USERS.riley.id, appId: APPS.nylas, errorCode: 65001, correlationId: "11111111-2222-4333-8444-555555555555" });
    const byApp = await sim.call("GET", `/v1.0/auditLogs/signIns?$filter=appId eq '${APPS.nylas}'`, { token });
    expect(byApp.body.value[0].correlationId).toBe("11111111-2222-4333-8444-555555555555");
    expect((await sim.call("GET", "/v1.0/auditLogs/signIns", { token: await sim.token("sam", { scp: "AuditLog.Read.All" }) })).status).toBe(403);
  });

  it("derives beta reports/servicePrincipalSignInActivities from the sign-in log: per app its newest sign-in as a client and as an API, paged", async () => {
    const token = await sim.appToken(["AuditLog.Read.All"]);
    sim.tenant.state.signIns.length = 0;
    sim.tenant.recordSignIn({ userId: USERS.riley.id, appId: APPS.nylas, errorCode: 0 });
    const newest = sim.tenant.recordSignIn({ userId: USERS.alex.id, appId: APPS.nylas.toUpperCase(), errorCode: 0 });
    newest.createdDateTime = "2099-01-01T00:00:00Z";
    const url = "/beta/reports/servicePrincipalSignInActivities";
    const all = await sim.call("GET", url, { token });
    expect(all.status).toBe(200);
    expect(all.body["@odata.context"]).toContain("$metadata#reports/servicePrincipalSignInActivities");
    const nylas = all.body.value.find((a: { appId: string }) => a.appId === APPS.nylas.toLowerCase());
    expect(nylas).toEqual({
      id: Buffer.from(APPS.nylas.toLowerCase()).toString("base64"), appId: APPS.nylas.toLowerCase(),
      delegatedClientSignInActivity: { lastSignInDateTime: "2099-01-01T00:00:00Z", lastSignInRequestId: newest.id },
      delegatedResourceSignInActivity: null, applicationAuthenticationClientSignInActivity: null, applicationAuthenticationResourceSignInActivity: null,
      lastSignInActivity: { lastSignInDateTime: "2099-01-01T00:00:00Z", lastSignInRequestId: newest.id },
    });
    // Microsoft Graph, as the API both sign-ins were for, is used too: as a resource
    const graphApi = all.body.value.find((a: { appId: string }) => a.appId === "00000003-0000-0000-c000-000000000000");
    expect(graphApi.delegatedResourceSignInActivity.lastSignInDateTime).toBe("2099-01-01T00:00:00Z");
    expect(graphApi.delegatedClientSignInActivity).toBeNull();
    expect(all.body.value).toHaveLength(2);
    // paged with nextLink, filterable by appId, one by id; beta only; AuditLog.Read.All (or Directory.Read.All) app-only
    const first = await sim.call("GET", `${url}?$top=1`, { token });
    expect(first.body.value).toHaveLength(1);
    const next = new URL(first.body["@odata.nextLink"]);
    expect((await sim.call("GET", `${next.pathname}${next.search}`, { token })).body.value).toHaveLength(1);
    expect((await sim.call("GET", `${url}?$filter=${encodeURIComponent(`appId eq '${APPS.nylas.toLowerCase()}'`)}`, { token })).body.value).toHaveLength(1);
    expect((await sim.call("GET", `${url}/${nylas.id}`, { token })).body.appId).toBe(APPS.nylas.toLowerCase());
    expect((await sim.call("GET", url.replace("/beta", "/v1.0"), { token })).status).toBe(400);
    expect((await sim.call("GET", url, { token: await sim.appToken(["Directory.Read.All"]) })).status).toBe(200);
    expect((await sim.call("GET", url, { token: await sim.appToken(["Application.Read.All"]) })).status).toBe(403);
  });
});
