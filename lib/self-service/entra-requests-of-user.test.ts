import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphClient } from "@/lib/graph/client";
import { listAppConsentRequestsBy, listUserConsentRequestsBy } from "@/lib/graph/consent-requests";
import { PORTAL_APP_ROLES } from "@/sim/issuer/provider";
import { APPS, startHttpsSim, USERS, type Sim } from "@/sim/graph/test-helpers";
import { entraRequestStatus, listMyEntraRequests } from "./entra-requests-of-user";

let sim: Sim;
beforeAll(async () => { sim = await startHttpsSim(); });
afterAll(async () => { await sim.close(); });
beforeEach(() => { sim.tenant.reset(); });

const asPortal = () => createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.appToken(PORTAL_APP_ROLES) }).client;

describe("a person's own requests on Entra's Approval required screen, read as the portal", () => {
  it("lists only the requests that person made, each with only their own user request", async () => {
    const jordans = await listAppConsentRequestsBy(asPortal(), USERS.jordan.id);
    expect(jordans.map((r) => r.appId)).toEqual([APPS.outreach]);
    const mine = await listUserConsentRequestsBy(asPortal(), jordans[0]!.id!, USERS.jordan.id);
    expect(mine.map((u) => [u.createdBy?.user?.id, u.status])).toEqual([[USERS.jordan.id, "Expired"]]);
    // Riley's Nylas request is not Jordan's, and Jordan's user request filter finds nothing on it.
    const rileys = await listAppConsentRequestsBy(asPortal(), USERS.riley.id);
    expect(rileys.map((r) => r.appId)).toEqual([APPS.nylas]);
    expect(await listUserConsentRequestsBy(asPortal(), rileys[0]!.id!, USERS.jordan.id)).toEqual([]);
  });

  it("for one app, reads no other app's requests any further (the status page asks about one app)", async () => {
    const graph = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.appToken(PORTAL_APP_ROLES) });
    // Riley's only request is for Nylas: asked about Outreach, only the list of Riley's requests is read.
    expect(await listMyEntraRequests({ oid: USERS.riley.id, tid: "00000000-0000-0000-0000-000000000000" }, graph, { appId: APPS.outreach })).toEqual([]);
    expect(graph.calls.map((call) => new URL(call.url).pathname)).toEqual(["/v1.0/identityGovernance/appConsent/appConsentRequests"]);
  });

  it("is refused without ConsentRequest.Read.All", async () => {
    const client = createGraphClient({ baseUrl: sim.baseUrl, getAccessToken: () => sim.appToken(["Application.Read.All"]) }).client;
    await expect(listAppConsentRequestsBy(client, USERS.jordan.id)).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe("entraRequestStatus", () => {
  const at = new Date("2026-12-01T10:00:00Z");
  it("waits while Entra's request is in progress, unless the portal denied it", () => {
    expect(entraRequestStatus({ graphStatus: "InProgress", decision: null, grantedTenantWide: false })).toBe("waiting");
    expect(entraRequestStatus({ graphStatus: "InProgress", decision: { kind: "denied", at }, grantedTenantWide: false })).toBe("denied");
  });
  it("a portal denial stays a denial after Entra's request expires", () => {
    expect(entraRequestStatus({ graphStatus: "Expired", decision: { kind: "denied", at }, grantedTenantWide: false })).toBe("denied");
    expect(entraRequestStatus({ graphStatus: "Expired", decision: null, grantedTenantWide: false })).toBe("expired");
  });
  it("completed is approved when the portal approved it or the app is granted for everyone, otherwise a reviewer denied it in Entra", () => {
    expect(entraRequestStatus({ graphStatus: "Completed", decision: { kind: "approved", at }, grantedTenantWide: false })).toBe("approved");
    expect(entraRequestStatus({ graphStatus: "Completed", decision: null, grantedTenantWide: true })).toBe("approved");
    expect(entraRequestStatus({ graphStatus: "Completed", decision: null, grantedTenantWide: false })).toBe("denied");
  });
});
