import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphHandler, loadTenantFromFixtures, type Tenant } from "@/sim/graph";
import { ADMIN_SCOPES, APPS, GRAPH_APP_ID, ISSUER, TID, USERS, type UserKey } from "@/sim/graph/test-helpers";
import { ensureCertificate } from "@/sim/local-secrets";
import { findSignIns, listDirectoryAudits } from "./audit-logs";
import { createGraphClient, type GraphSession } from "./client";
import { listPendingAppConsentRequests, listPendingUserConsentRequests } from "./consent-requests";
import { findUser, getOrganization, listGroupUsers, listRoleAssignments, searchUsers } from "./directory";
import { graphFailure } from "./errors";
import { listAll } from "./paging";
import { searchServicePrincipals } from "./service-principals";

// The directory, consent request and audit log reads against the simulated Graph over https, as the
// signed-in person: what they return is what the pages and the notifications rely on.

const SALES_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";

let server: Server;
let tenant: Tenant;
let as: (user: UserKey) => GraphSession;
/** What reached the simulated Graph: real Graph needs some headers the simulator does not insist on. */
const received: { url: string; consistencyLevel: string | string[] | undefined }[] = [];

beforeAll(async () => {
  const tls = await ensureCertificate(process.env.SIM_TEST_TLS_DIR ?? path.join(".data", "vitest"));
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  tenant = loadTenantFromFixtures();
  const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "RS256" }] });
  const handler = createGraphHandler({ tenant, issuer: ISSUER, keys });
  server = createServer({ cert: tls.cert, key: tls.key }, (request, response) => {
    received.push({ url: request.url ?? "", consistencyLevel: request.headers["consistencylevel"] });
    return handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  as = (user) =>
    createGraphClient({
      baseUrl,
      getAccessToken: () =>
        new SignJWT({ aud: GRAPH_APP_ID, iss: ISSUER, tid: TID, oid: USERS[user].id, scp: ADMIN_SCOPES, wids: [...USERS[user].wids] })
          .setProtectedHeader({ alg: "RS256", kid: "k" })
          .setIssuedAt()
          .setExpirationTime("1h")
          .sign(privateKey),
    });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  tenant.reset();
  received.length = 0;
});

describe("lib/graph/directory", () => {
  it("reads the organization with its verified domains", async () => {
    const org = await getOrganization(as("alex").client);
    expect(org).toMatchObject({ id: TID, displayName: "Contoso (simulated)" });
    expect(org?.verifiedDomains?.some((d) => d.isDefault && d.name === "contoso.onmicrosoft.com")).toBe(true);
  });

  it("finds a user by object ID, and null for an ID the directory does not hold", async () => {
    const { client } = as("alex");
    expect(await findUser(client, USERS.riley.id, ["id", "userPrincipalName"])).toMatchObject({ id: USERS.riley.id, userPrincipalName: expect.stringContaining("@") });
    expect(await findUser(client, "00000000-0000-4000-8000-000000000000", ["id"])).toBeNull();
  });

  it("lists a group's users transitively, role holders, and users by filter", async () => {
    const { client } = as("alex");
    const members = await listGroupUsers(client, SALES_GROUP, ["id"], { top: 999 });
    expect(members.map((m) => m.id)).toEqual(expect.arrayContaining([USERS.riley.id, USERS.jordan.id]));
    // The OData cast on transitive members is an advanced query: the header and $count=true on every page.
    const paged = await listGroupUsers(client, SALES_GROUP, ["id"], { top: 1 });
    expect(paged.map((m) => m.id).sort()).toEqual(members.map((m) => m.id).sort());
    const castRequests = received.filter((r) => r.url.includes("/transitiveMembers/microsoft.graph.user"));
    expect(castRequests.filter((r) => r.url.includes("skiptoken")).length).toBeGreaterThan(0);
    for (const request of castRequests) {
      expect(request.consistencyLevel).toBe("eventual");
      expect(new URL(request.url, "https://graph.test").searchParams.get("$count")).toBe("true");
    }
    const admins = await listRoleAssignments(client, GLOBAL_ADMIN);
    expect(admins.map((a) => a.principalId)).toContain(USERS.alex.id);
    const found = await searchUsers(client, "Riley", ["id", "displayName"], 10);
    expect(found.map((u) => u.id)).toEqual([USERS.riley.id]);
  });

  // Microsoft Learn, "Advanced query capabilities on Microsoft Entra ID objects": the OData cast on transitive
  // members is advanced-only. The simulator refuses it as Graph does, so listGroupUsers' header is load-bearing.
  it("is refused the cast on transitive members without ConsistencyLevel: eventual and $count=true (400 Request_UnsupportedQuery)", async () => {
    const { client } = as("alex");
    const cast = `/groups/${SALES_GROUP}/transitiveMembers/microsoft.graph.user`;
    for (const attempt of [() => listAll(client, cast), () => listAll(client, `${cast}?$count=true`), () => listAll(client, cast, { headers: { ConsistencyLevel: "eventual" } })]) {
      const failure = await attempt().then(() => undefined, (error: unknown) => graphFailure(error));
      expect(failure).toMatchObject({ status: 400, code: "Request_UnsupportedQuery" });
    }
    const users = await listAll<{ id: string }>(client, `${cast}?$count=true`, { headers: { ConsistencyLevel: "eventual" } });
    expect(users.map((u) => u.id).sort()).toEqual([USERS.riley.id, USERS.jordan.id].sort());
  });
});

describe("lib/graph/consent-requests", () => {
  it("lists the requests still pending, with who is waiting and why", async () => {
    tenant.state.adminConsentRequestPolicy.isEnabled = true;
    tenant.createConsentRequest(USERS.jordan.id, APPS.oktaMail, "Need to automate mail flows");
    const { client } = as("casey");
    const pending = await listPendingAppConsentRequests(client, { mineOnly: false });
    const okta = pending.find((r) => r.appId === APPS.oktaMail);
    expect(okta?.pendingScopes?.map((s) => s.displayName)).toContain("Mail.ReadWrite");
    const waiting = await listPendingUserConsentRequests(client, okta!.id!);
    expect(waiting).toEqual([expect.objectContaining({ status: "InProgress", reason: "Need to automate mail flows", createdBy: expect.objectContaining({ user: expect.objectContaining({ id: USERS.jordan.id }) }) })]);
    // Casey is named nowhere as a reviewer: the reviewer's own list is empty.
    expect(await listPendingAppConsentRequests(client, { mineOnly: true })).toEqual([]);
  });
});

describe("lib/graph/audit-logs", () => {
  it("finds a sign-in by correlation ID, quoting what the person pasted", async () => {
    const entry = tenant.recordSignIn({ userId: USERS.riley.id, appId: APPS.nylas, errorCode: 65001, correlationId: "5f0a7c1e-0b1d-4e2f-9a3b-4c5d6e7f8a9b" });
    const { client } = as("sam");
    const found = await findSignIns(client, { correlationId: entry.correlationId }, ["id", "correlationId", "status"], 50);
    expect(found).toEqual([expect.objectContaining({ id: entry.id, status: expect.objectContaining({ errorCode: 65001 }) })]);
    expect(await findSignIns(client, { correlationId: "it's not there" }, ["id"], 50)).toEqual([]);
  });

  it("lists one activity's directory audits since a time", async () => {
    const since = new Date(Date.now() - 60_000);
    tenant.createServicePrincipal(APPS.outreach, tenant.actorFor(USERS.alex.id));
    const audits = await listDirectoryAudits(as("sam").client, { activityDisplayName: "Add service principal", since });
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(audits.every((a) => a.activityDisplayName === "Add service principal" && Date.parse(a.activityDateTime!) >= since.getTime())).toBe(true);
  });
});

describe("lib/graph/service-principals", () => {
  it("searches service principals by the start of their name", async () => {
    const found = await searchServicePrincipals(as("alex").client, "Microsoft Gr", ["appId", "displayName", "publisherName"], 25);
    expect(found.map((sp) => sp.appId)).toContain(GRAPH_APP_ID);
    expect(found.every((sp) => sp.displayName?.startsWith("Microsoft Gr"))).toBe(true);
  });
});
