import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { onEntraMail, type EntraMail } from "./state/entra-mail";
import { APPS, GRAPH_SP_ID, startSim, USERS, type Sim } from "./test-helpers";

/**
 * Entra's admin consent workflow, as Microsoft Learn describes it ("Configure the admin consent
 * workflow", "Review admin consent requests"; Graph: adminConsentRequestPolicy, appConsentRequest,
 * userConsentRequest):
 * - reviewers (users, members of groups, holders of roles named by the policy) are mailed about a new
 *   request when notifyReviewers is on;
 * - the requester is mailed when the request is approved, denied, or expires;
 * - a request expires after requestDurationInDays (userConsentRequest status Expired).
 * Plus the simulator's choice where Microsoft is silent: a grant via Graph that covers every pending
 * scope completes the request (status Completed), as approving in Entra is granting admin consent.
 */

const START = Date.parse("2026-12-01T09:00:00Z");
const BASE = "/v1.0/identityGovernance/appConsent/appConsentRequests";
const NYLAS_REQUEST = "9e2b7c4d-5a6f-4b8e-9c0d-1e2f3a4b5c6d"; // fixture: Riley asked on 2026-11-24T10:12Z
const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
const ENGINEERING = "3a5655da-a9d7-4fb8-be98-2b84482e86b7"; // Priya and Casey
const upn = (key: keyof typeof USERS) => `${{ alex: "alex.wilber", priya: "priya.raman", casey: "casey.jensen", sam: "sam.okafor", riley: "riley.chen", jordan: "jordan.diaz" }[key]}@contoso.onmicrosoft.com`;

let sim: Sim;
let mails: EntraMail[];

beforeEach(async () => {
  sim = await startSim({ clock: () => START });
  mails = [];
  onEntraMail(sim.tenant, (mail) => mails.push(mail));
});
afterEach(() => sim.close());

async function enableWorkflow(overrides: { notifyReviewers?: boolean; requestDurationInDays?: number } = {}) {
  const token = await sim.token("casey");
  const reply = await sim.call("PUT", "/v1.0/policies/adminConsentRequestPolicy", {
    token,
    body: {
      isEnabled: true, notifyReviewers: overrides.notifyReviewers ?? true, remindersEnabled: false, requestDurationInDays: overrides.requestDurationInDays ?? 30,
      reviewers: [
        { query: `/users/${USERS.jordan.id}`, queryType: "MicrosoftGraph", queryRoot: null },
        { query: `/groups/${ENGINEERING}/transitiveMembers/microsoft.graph.user`, queryType: "MicrosoftGraph", queryRoot: null },
        { query: `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${SECURITY_READER}'`, queryType: "MicrosoftGraph", queryRoot: null },
      ],
    },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(204);
}

async function userRequests(requestId: string) {
  const reply = await sim.call("GET", `${BASE}/${requestId}/userConsentRequests`, { token: await sim.token("alex") });
  expect(reply.status).toBe(200);
  return reply.body.value as { id: string; status: string; completedDateTime: string | null; createdBy: { user: { id: string } } }[];
}

describe("Entra's mail to reviewers of a new admin consent request", () => {
  it("mails each reviewer the policy names (a user, a group's members, a role's holders) when notifyReviewers is on", async () => {
    await enableWorkflow();
    const created = await sim.control("POST", "/_sim/consent-requests", { userId: USERS.riley.id, appId: APPS.oktaMail, reason: "I automate our mail triage." });
    expect(created.status).toBe(201);

    expect(mails.map((m) => m.kind)).toEqual(Array(4).fill("consent-request-created"));
    expect(mails.flatMap((m) => m.to).sort()).toEqual([upn("casey"), upn("jordan"), upn("priya"), upn("sam")].sort());
    const toJordan = mails.find((m) => m.to[0] === upn("jordan"))!;
    expect(toJordan.from).toBe("Microsoft Azure <azure-noreply@microsoft.com>");
    expect(toJordan.subject).toBe("Action required: Riley Chen requested access to Office 365 Mail for Okta Workflows");
    expect(toJordan.text).toContain("> I automate our mail triage.");
    expect(toJordan.text).toContain("  - Mail.ReadWrite");
    expect(toJordan.appConsentRequestId).toBe(created.body.appConsentRequest.id);

    // Asking again while the request is open creates nothing and mails nobody.
    expect((await sim.control("POST", "/_sim/consent-requests", { userId: USERS.riley.id, appId: APPS.oktaMail, reason: "again" })).status).toBe(200);
    expect(mails).toHaveLength(4);
  });

  it("mails nobody when notifyReviewers is off, and skips reviewers without a mailbox", async () => {
    await enableWorkflow({ notifyReviewers: false });
    sim.tenant.createConsentRequest(USERS.riley.id, APPS.oktaMail, "quiet please");
    expect(mails).toEqual([]);

    await enableWorkflow();
    sim.tenant.state.users.get(USERS.sam.id)!.mail = null;
    sim.tenant.createConsentRequest(USERS.jordan.id, APPS.oktaMail, "me too");
    expect(mails.flatMap((m) => m.to).sort()).toEqual([upn("casey"), upn("jordan"), upn("priya")].sort());
  });
});

describe("a request approved by granting through Graph (the simulator's choice: Completed)", () => {
  it("stays InProgress while part of what was asked is granted, and completes with a mail to the requester once all is", async () => {
    await enableWorkflow();
    const casey = await sim.token("casey");
    const sp = await sim.call("POST", "/v1.0/servicePrincipals", { token: casey, body: { appId: APPS.nylas } });
    expect(sp.status).toBe(201);
    const partial = await sim.call("POST", "/v1.0/oauth2PermissionGrants", {
      token: casey, body: { clientId: sp.body.id, consentType: "AllPrincipals", resourceId: GRAPH_SP_ID, scope: "openid profile User.Read" },
    });
    expect(partial.status).toBe(201);
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["InProgress"]);
    expect(mails).toEqual([]);

    // Riley's own consent to everything (consentType Principal) is not tenant-wide: still open.
    sim.tenant.createGrant({ clientId: sp.body.id, consentType: "Principal", principalId: USERS.riley.id, resourceId: GRAPH_SP_ID,
      scope: "openid profile email offline_access User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite Contacts.ReadWrite" }, sim.tenant.actorFor(USERS.riley.id));
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["InProgress"]);

    const full = await sim.call("PATCH", `/v1.0/oauth2PermissionGrants/${partial.body.id}`, {
      token: casey, body: { scope: "openid profile User.Read email offline_access Mail.ReadWrite Mail.Send Calendars.ReadWrite Contacts.ReadWrite" },
    });
    expect(full.status).toBe(204);
    // Completed at once, before anything reads the request back.
    expect(mails.map((m) => [m.kind, m.to[0], m.subject])).toEqual([["consent-request-approved", upn("riley"), "Your request to access Nylas was approved"]]);
    const [riley] = await userRequests(NYLAS_REQUEST);
    expect(riley).toMatchObject({ status: "Completed", completedDateTime: new Date(START).toISOString() });
    const request = await sim.call("GET", `${BASE}/${NYLAS_REQUEST}`, { token: await sim.token("alex") });
    expect(request.body.pendingScopes).toEqual([]);
  });

  it("completes every open request of the app when an admin consents interactively, mailing each requester once", async () => {
    await enableWorkflow();
    sim.tenant.createConsentRequest(USERS.jordan.id, APPS.nylas, "Calendar sync for me too");
    mails = [];
    sim.tenant.grantAdminConsent(APPS.nylas, {}, sim.tenant.actorFor(USERS.alex.id));
    expect(mails.map((m) => [m.kind, m.to[0]]).sort()).toEqual([["consent-request-approved", upn("jordan")], ["consent-request-approved", upn("riley")]]);
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["Completed", "Completed"]);
  });
});

describe("a request denied by a reviewer in Entra's admin center", () => {
  it("completes the request and mails the requester the reviewer's justification; only a reviewer may deny", async () => {
    await enableWorkflow();
    expect((await sim.control("POST", "/_sim/consent-requests/deny", { requestId: NYLAS_REQUEST, reviewerId: USERS.riley.id, justification: "no" })).status).toBe(403);
    const denied = await sim.control("POST", "/_sim/consent-requests/deny", { requestId: NYLAS_REQUEST, reviewerId: USERS.sam.id, justification: "Use the approved scheduling tool." });
    expect(denied.status).toBe(200);
    expect(mails.map((m) => [m.kind, m.to[0], m.subject])).toEqual([["consent-request-denied", upn("riley"), "Your request to access Nylas was denied"]]);
    expect(mails[0]!.text).toContain("Sam Okafor denied your request for Nylas.");
    expect(mails[0]!.text).toContain("> Use the approved scheduling tool.");
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["Completed"]);
  });
});

describe("expiry after requestDurationInDays", () => {
  it("keeps a request open until its lifetime is over, then marks it Expired and mails the requester once", async () => {
    // Riley's fixture request was made 2026-11-24T10:12Z with a 30-day lifetime: it expires 2026-12-24T10:12Z.
    const almost = await sim.control("POST", "/_sim/clock", { advanceDays: 23 });
    expect(almost.body.now).toBe("2026-12-24T09:00:00.000Z");
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["InProgress"]);
    expect(mails).toEqual([]);

    await sim.control("POST", "/_sim/clock", { advanceMs: 2 * 3_600_000 });
    expect(mails.map((m) => [m.kind, m.to[0], m.subject])).toEqual([["consent-request-expired", upn("riley"), "Your request to access Nylas has expired"]]);
    expect(mails[0]!.text).toContain("expired after 30 days");
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["Expired"]);
    const pending = await sim.call("GET", `${BASE}?$filter=${encodeURIComponent("userConsentRequests/any(u:u/status eq 'InProgress')")}`, { token: await sim.token("alex") });
    expect(pending.body.value.map((r: { id: string }) => r.id)).not.toContain(NYLAS_REQUEST);
    await sim.call("GET", `${BASE}/${NYLAS_REQUEST}/userConsentRequests`, { token: await sim.token("alex") });
    expect(mails).toHaveLength(1);

    // A grant after expiry does not bring the request back.
    sim.tenant.grantAdminConsent(APPS.nylas, {}, sim.tenant.actorFor(USERS.alex.id));
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["Expired"]);
    expect(mails).toHaveLength(1);
  });

  it("follows the policy's duration, and /_sim/reset puts the clock back", async () => {
    await enableWorkflow({ requestDurationInDays: 6 }); // 2026-11-24 + 6 days is already past on 2026-12-01
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["Expired"]);
    await sim.control("POST", "/_sim/clock", { advanceDays: 40 });
    expect((await sim.control("POST", "/_sim/reset")).status).toBe(204);
    expect((await sim.control("GET", "/_sim/state")).body.now).toBe(new Date(START).toISOString());
    expect((await userRequests(NYLAS_REQUEST)).map((u) => u.status)).toEqual(["InProgress"]);
  });

  it("refuses moving the clock backwards", async () => {
    expect((await sim.control("POST", "/_sim/clock", { advanceDays: -1 })).status).toBe(400);
    expect((await sim.control("POST", "/_sim/clock", { rewind: 1 })).status).toBe(400);
  });
});
