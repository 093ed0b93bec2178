import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { expect, request, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import tenant from "../sim/fixtures/tenant.json";
import users from "../sim/fixtures/users.json";
import { ENTRA_ROLES, type PortalRole } from "../lib/roles";
import { buildActions as manifestActions, databaseState, portalApi, postAction, redirectOf, signedInSessions, simControlSecret, type ActionInput, type StorageState } from "./actions";
import { account, queryTestDatabase, type SeededAccount } from "./helpers";
import { GRAPH, graphToken } from "./simulator";

// S1 as a role × action matrix: every server action of the production build (read from the build's
// server-reference manifest, so an action nobody listed here fails the test) and every route handler
// under app/, called directly as a POST/GET the way a browser would, by people whose role must not
// reach it. Each call must be refused and leave the tenant and the portal's database as they were.

const GRAPH_API = "00000003-0000-0000-c000-000000000000";
const NYLAS = "8e0d5ae6-12fd-4a7e-b01f-a689fa119d94";
const OUTREACH = "c34c8d7f-38d7-4af6-9d0d-7fbcd7fa5f74";
const LITWARE_SIGN = "ba8e3430-8d21-4f86-9ca2-a1b787af8e0e";
const ENTRA_REQUEST = "9e2b7c4d-5a6f-4b8e-9c0d-1e2f3a4b5c6d";
const SALES_GROUP = "fef00095-3a65-4f0e-9a67-79c33a201dc0";
const WHY = "Role matrix check: this must never be applied";
/** A valid consent settings document that would change user consent. */
const SETTINGS_DOCUMENT = "apiVersion: consent-portal/v1\nkind: ConsentSettings\nspec:\n  userConsent:\n    policy: all-apps\n";
/** A portal approval request seeded per run, so approving or denying it would show. */
const PORTAL_REQUEST = randomUUID();

type ActionEntry =
  | {
      /** Portal roles whose calls get past the authorization check. */
      roles: readonly PortalRole[];
      /** Among those, the Entra roles the action itself also requires (it refuses the others before Graph). */
      entraRoles?: readonly string[];
      /** A valid input, so that a missing check would really change something; null for actions without form input. */
      input: ActionInput | null;
    }
  | { exempt: string };

/**
 * Every server action, by module and export name. Keep it complete: the first test fails for an action
 * of the build that is missing here, and for an entry the build no longer has.
 */
const ACTIONS: Record<string, ActionEntry> = {
  "app/auth-actions.ts#signInAction": { exempt: "Signing in needs no session by design; its only input is a local return path (callbackPath)." },
  "app/(admin)/admin/apps/actions.ts#addCatalogAppAction": { roles: ["admin"], input: { reference: randomUUID(), displayName: "Role matrix app", permissions: "User.Read" } },
  "app/(admin)/admin/apps/[appId]/(catalog)/access/actions.ts#restrictAndAssignAction": {
    roles: ["admin"],
    input: { appId: LITWARE_SIGN, req: "on", signin: "off", vis: "hide", a: `Group|${SALES_GROUP}`, justification: WHY },
  },
  "app/(admin)/admin/apps/[appId]/(catalog)/consent-link/actions.ts#createConsentLinkAction": { roles: ["admin"], input: { appId: NYLAS } },
  "app/(admin)/admin/apps/[appId]/(catalog)/grant/actions.ts#grantConsentAction": {
    roles: ["admin"],
    input: { appId: NYLAS, d: [`${GRAPH_API}|User.Read`, `${GRAPH_API}|Mail.ReadWrite`], justification: WHY },
  },
  "app/(admin)/admin/apps/[appId]/revoke/actions.ts#revokeConsentAction": {
    roles: ["admin"],
    input: { appId: LITWARE_SIGN, s: `${GRAPH_API}|offline_access`, u: account("User").id, del: "yes", confirmDelete: "yes", justification: WHY },
  },
  "app/(admin)/admin/entra-requests/actions.ts#denyEntraRequestAction": { roles: ["admin"], input: { requestId: ENTRA_REQUEST, appId: NYLAS, reason: WHY } },
  "app/(admin)/admin/entra-requests/actions.ts#blockAppAction": { roles: ["admin"], input: { requestId: ENTRA_REQUEST, appId: NYLAS } },
  "app/(admin)/admin/policies/classifications/actions.ts#applyClassifications": {
    roles: ["admin"],
    entraRoles: [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.cloudApplicationAdministrator, ENTRA_ROLES.applicationAdministrator],
    input: { add: "Mail.ReadWrite", ack: "high-risk", justification: WHY },
  },
  "app/(admin)/admin/policies/consent-workflow/actions.ts#applyConsentWorkflow": {
    roles: ["admin"],
    entraRoles: [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.cloudApplicationAdministrator, ENTRA_ROLES.applicationAdministrator],
    input: { isEnabled: "on", notifyReviewers: "on", requestDurationInDays: "7", reviewer: `group:${SALES_GROUP}`, justification: WHY },
  },
  "app/(admin)/admin/policies/group-consent/actions.ts#applyGroupConsent": {
    roles: ["admin"],
    entraRoles: [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.privilegedRoleAdministrator],
    input: { mode: "all", justification: WHY },
  },
  "app/(admin)/admin/policies/user-consent/actions.ts#applyUserConsent": {
    roles: ["admin"],
    entraRoles: [ENTRA_ROLES.globalAdministrator, ENTRA_ROLES.privilegedRoleAdministrator],
    input: { choice: "legacy", justification: WHY },
  },
  "app/(admin)/admin/policies/document/actions.ts#applySettingsDocument": {
    roles: ["admin"],
    input: { document: SETTINGS_DOCUMENT, fingerprint: "A".repeat(43), justification: WHY },
  },
  "app/(admin)/admin/requests/actions.ts#denyRequestAction": { roles: ["admin"], input: { requestId: PORTAL_REQUEST, reason: WHY } },
  "app/(admin)/admin/requests/actions.ts#addToCatalogAndApproveAction": { roles: ["admin"], input: { requestId: PORTAL_REQUEST } },
  "app/(review)/audit/actions.ts#importEntraConsentAction": { roles: ["reviewer", "admin"], input: null },
  "app/(review)/review/settings-document/actions.ts#compareSettingsDocument": { roles: ["reviewer", "admin"], input: { document: SETTINGS_DOCUMENT } },
  "app/(review)/inventory/actions.ts#startScanAction": { roles: ["admin"], input: null },
  "app/(review)/inventory/drift/actions.ts#checkDriftNowAction": { roles: ["admin"], input: null },
  "app/(review)/inventory/drift/actions.ts#acceptDriftAction": { roles: ["admin"], input: { driftId: randomUUID(), justification: WHY } },
  "app/(review)/inventory/drift/actions.ts#revertDriftAction": { roles: ["admin"], input: { driftId: randomUUID(), justification: WHY } },
  "app/(review)/inventory/actions.ts#chooseBaselineAction": { roles: ["reviewer", "admin"], input: { baseline: "scuba" } },
  "app/(review)/inventory/apps/[appId]/actions.ts#adoptIntoBaselineAction": { roles: ["admin"], input: { appId: NYLAS, fingerprint: "0".repeat(64), justification: WHY } },
  "app/(admin)/admin/recertification/actions.ts#saveAppSettingsAction": { roles: ["admin"], input: { appId: NYLAS, ownerOid: "none", periodDays: "30", autoRevoke: "on", warnDays: "7", graceDays: "14", justification: WHY } },
  "app/(admin)/admin/recertification/actions.ts#sendReminderNowAction": { roles: ["admin"], input: { appId: NYLAS } },
  "app/(admin)/admin/recertification/actions.ts#savePoliciesAction": { roles: ["admin"], input: { High: "30", Low: "30", justification: WHY } },
  // Anyone signed in may reach it (an app's owner is a user); the action then refuses all but the owner, reviewers and admins (lib/recertification/attest-action.test.ts).
  "app/attest/[appId]/actions.ts#attestAction": { roles: ["user", "reviewer", "admin"], input: { appId: NYLAS, decision: "attested" } },
  "app/(user)/my-apps/actions.ts#requestApprovalAction": {
    roles: ["user", "reviewer", "admin"],
    input: { appId: OUTREACH, d: `${GRAPH_API}|User.Read`, justification: WHY },
  },
};

type RouteEntry =
  | {
      methods: readonly string[];
      roles: readonly PortalRole[];
      path: string;
      /** What the route answers (404) to an allowed caller while it has nothing to serve yet, past its role check. */
      nothingYet?: string;
    }
  | { exempt: string };

/** Every route handler (app/**\/route.ts), by file. */
const ROUTES: Record<string, RouteEntry> = {
  "app/(review)/audit/export/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: "/audit/export?format=jsonl" },
  "app/(review)/audit/head/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: "/audit/head" },
  "app/(review)/inventory/apps/[appId]/evidence/download/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: `/inventory/apps/${NYLAS}/evidence/download` },
  "app/(review)/inventory/export/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: "/inventory/export?what=apps&format=json", nothingYet: "No scan has completed yet" },
  "app/(review)/inventory/progress/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: "/inventory/progress" },
  "app/(review)/review/settings-document/export/route.ts": { methods: ["GET"], roles: ["reviewer", "admin"], path: "/review/settings-document/export?format=json" },
  "app/api/health/route.ts": { exempt: "Liveness probe: public by design, reveals only that the process answers." },
  "app/api/ready/route.ts": { exempt: "Readiness probe for load balancers: public by design, reveals only which check (database, token endpoint, shutting down) fails." },
  "app/auth/sign-out/route.ts": { exempt: "Signing out needs no session by design and takes no input; posts from other sites are refused (S3)." },
  "app/api/auth/[...nextauth]/route.ts": { exempt: "Auth.js's sign-in, callback and sign-out endpoints: they create sessions, so they cannot require one." },
};

/**
 * The callers to refuse: nobody, a regular user, a reviewer, and an admin whose Entra role lacks what the
 * action needs. People of another tenant never hold a session (sign-in refuses them), so "no session"
 * stands for them too.
 */
type Caller = { label: string; who: SeededAccount | null; role: PortalRole | null; wids: readonly string[] };
const CALLERS: Caller[] = [
  { label: "no session", who: null, role: null, wids: [] },
  { label: "Riley (user)", who: account("User"), role: "user", wids: [] },
  { label: "Sam (Security Reader)", who: account("Security Reader"), role: "reviewer", wids: [ENTRA_ROLES.securityReader] },
  { label: "Casey (Cloud Application Administrator)", who: account("Cloud Application Administrator"), role: "admin", wids: [ENTRA_ROLES.cloudApplicationAdministrator] },
];

function allows(entry: { roles: readonly PortalRole[]; entraRoles?: readonly string[] }, caller: Caller): boolean {
  if (!caller.role || !entry.roles.includes(caller.role)) return false;
  if (!entry.entraRoles || caller.role !== "admin") return true;
  return entry.entraRoles.some((id) => caller.wids.includes(id));
}

// ── the build's actions ──────────────────────────────────────────────────────────────────────
const buildActions = () => manifestActions({ "[appId]": NYLAS, "[requestId]": PORTAL_REQUEST, "[seq]": "1" });

function routeFiles(dir = "app"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const full = `${dir}/${item.name}`;
    if (item.isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(item.name) ? [full] : [];
  });
}

// ── what "nothing changed" means ─────────────────────────────────────────────────────────────
let adminToken = "";
let sessions: Map<string, StorageState>;

async function graphRead(api: APIRequestContext, pathAndQuery: string): Promise<unknown> {
  const reply = await api.get(`${GRAPH}/v1.0${pathAndQuery}`, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(reply.status(), pathAndQuery).toBe(200);
  return reply.json();
}

/** The tenant as Graph shows it to a Global Administrator, plus the simulator's summary (its directory audit count moves on every write). */
async function tenantState(): Promise<unknown> {
  const api = await request.newContext({ ignoreHTTPSErrors: true });
  const summary = (await (await api.get(`${GRAPH}/_sim/state`, { headers: { "x-sim-control": simControlSecret() } })).json()) as { counts: Record<string, number>; now?: string };
  // Sign-ins are logged by signing in, not by changes; the portal's own token refreshes may add some.
  delete summary.counts.signIns;
  // The tenant's clock moves on by itself: it is not a change.
  delete summary.now;
  const state = {
    summary,
    servicePrincipals: await graphRead(api, "/servicePrincipals?$top=999"),
    grants: await graphRead(api, "/oauth2PermissionGrants?$top=999"),
    authorizationPolicy: await graphRead(api, "/policies/authorizationPolicy"),
    adminConsentRequestPolicy: await graphRead(api, "/policies/adminConsentRequestPolicy"),
    entraRequests: await graphRead(api, "/identityGovernance/appConsent/appConsentRequests?$top=999"),
  };
  await api.dispose();
  return state;
}

async function apiFor(caller: Caller): Promise<APIRequestContext> {
  return portalApi(caller.who ? sessions.get(caller.who.id) : undefined);
}

/** How the portal refused, or null when the response is not a refusal. */
async function refusal(response: APIResponse): Promise<string | null> {
  const status = response.status();
  if (redirectOf(response).startsWith("/signin")) return "sent to sign-in";
  if (status === 403) return "403";
  const text = await response.text();
  if (status === 200 && /"ok":false,"message":"(Your session has ended|Your role does not allow|Not with your role)/.test(text)) return "refused in the result";
  return null;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  sessions = await signedInSessions(browser, CALLERS.flatMap((caller) => (caller.who ? [caller.who] : [])));
  adminToken = await graphToken(account("Global Administrator"), "Directory.Read.All Application.Read.All Policy.Read.All ConsentRequest.Read.All");
  const jordan = users.find((user) => user.displayName === "Jordan Diaz")!;
  await queryTestDatabase(
    `INSERT INTO "ConsentRequest" (id, "requesterOid", "requesterTid", "requesterUpn", "requesterName", "appId", "appName", permissions, justification) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [PORTAL_REQUEST, jordan.id, tenant.tenantId, jordan.userPrincipalName, jordan.displayName, randomUUID(), "Role matrix app", JSON.stringify([{ resourceAppId: GRAPH_API, scopes: ["User.Read"], appRoles: [] }]), WHY],
  );
});

test.afterAll(async () => {
  await queryTestDatabase(`DELETE FROM "ConsentRequest" WHERE id = $1`, [PORTAL_REQUEST]);
});

test("the table lists every server action of the build and every route handler, and nothing else", () => {
  const built = buildActions().map((action) => action.key).sort();
  expect(built.length).toBeGreaterThan(10);
  expect(built, "add the new action to ACTIONS with the roles allowed to call it").toEqual(Object.keys(ACTIONS).sort());
  expect(routeFiles().sort(), "add the new route handler to ROUTES").toEqual(Object.keys(ROUTES).sort());
});

for (const [key, entry] of Object.entries(ACTIONS)) {
  if ("exempt" in entry) continue;
  const denied = CALLERS.filter((caller) => !allows(entry, caller));
  test(`${key}: refused for ${denied.map((caller) => caller.label).join(", ")}; nothing changed`, async () => {
    const action = buildActions().find((candidate) => candidate.key === key);
    expect(action, `${key} is in the build`).toBeDefined();
    const tenantBefore = await tenantState();
    const databaseBefore = await databaseState();
    for (const caller of denied) {
      const api = await apiFor(caller);
      const response = await postAction(api, action!, entry.input);
      expect(await refusal(response), `${caller.label}: ${response.status()} ${(await response.text()).slice(0, 400)}`).not.toBeNull();
      await api.dispose();
    }
    // The posts above are only proof if they reach the action: someone it allows gets past authorization
    // to input validation with an empty form (never run for real, so nothing changes here either).
    const allowed = CALLERS.find((caller) => allows(entry, caller));
    if (allowed && entry.input !== null) {
      const api = await apiFor(allowed);
      const response = await postAction(api, action!, {});
      expect(await response.text(), `${allowed.label} reaches validation`).toContain("Some of the input is not valid");
      await api.dispose();
    }
    expect(await tenantState()).toEqual(tenantBefore);
    expect(await databaseState()).toEqual(databaseBefore);
  });
}

for (const [file, entry] of Object.entries(ROUTES)) {
  if ("exempt" in entry) continue;
  const denied = CALLERS.filter((caller) => !caller.role || !entry.roles.includes(caller.role));
  test(`${file}: refused for ${denied.map((caller) => caller.label).join(", ")}`, async () => {
    const databaseBefore = await databaseState();
    for (const caller of denied) {
      const api = await apiFor(caller);
      for (const method of entry.methods) {
        const response = await api.fetch(entry.path, { method, maxRedirects: 0 });
        expect(await refusal(response), `${caller.label} ${method}: ${response.status()}`).not.toBeNull();
        expect(await response.text()).not.toContain('"seq"');
      }
      await api.dispose();
    }
    // Someone allowed does get the file, so the refusals above are the role check and not a broken path.
    const allowed = CALLERS.find((caller) => caller.role && entry.roles.includes(caller.role));
    if (allowed) {
      const api = await apiFor(allowed);
      const response = await api.get(entry.path, { maxRedirects: 0 });
      // Run alone, before any spec has scanned the tenant, the inventory export has no scan to send.
      if (entry.nothingYet && response.status() === 404) expect(await response.text()).toContain(entry.nothingYet);
      else expect(response.status()).toBe(200);
      await api.dispose();
    }
    expect(await databaseState()).toEqual(databaseBefore);
  });
}
