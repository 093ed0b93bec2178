import { describe, expect, it } from "vitest";
import { ENTRA_ROLES } from "@/lib/roles";
import type { AppState, ResourceInfo } from "../app-state";
import { GRAPH_APP_ROLE_REASON } from "../grant/plan";
import { GRAPH_APP_ROLE_REMOVE_REASON, planRevoke, SERVICE_PRINCIPAL_ROLE_REASON, type RevokeSelection } from "./plan";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const OTHER_API = "00000002-0000-0ff1-ce00-000000000000";
const graph: ResourceInfo = { id: "sp-graph", appId: GRAPH, displayName: "Microsoft Graph", appRoles: [{ id: "role-dir", value: "Directory.Read.All" }] };
const exchange: ResourceInfo = { id: "sp-exo", appId: OTHER_API, displayName: "Office 365 Exchange Online", appRoles: [{ id: "role-full", value: "full_access_as_app" }] };
const GA = [ENTRA_ROLES.globalAdministrator];
const CAA = [ENTRA_ROLES.cloudApplicationAdministrator];
const PRA = [ENTRA_ROLES.privilegedRoleAdministrator];

const state: AppState = {
  servicePrincipal: { id: "sp-app", appId: "app", displayName: "Nylas", accountEnabled: true, appRoleAssignmentRequired: false, tags: [], publisherName: null, verifiedPublisher: null },
  tenantWide: [{ grantId: "g-all", resource: graph, scopes: ["User.Read", "Mail.Read", "Mail.Send"] }],
  userConsents: [
    { grantId: "g-riley", resource: graph, principalId: "u-riley", principalName: "Riley Chen", principalUpn: "riley@contoso", scopes: ["Mail.Send", "Calendars.Read"] },
    { grantId: "g-riley-exo", resource: exchange, principalId: "u-riley", principalName: "Riley Chen", principalUpn: "riley@contoso", scopes: ["EWS.AccessAsUser.All"] },
    { grantId: "g-jordan", resource: graph, principalId: "u-jordan", principalName: "Jordan Diaz", principalUpn: "jordan@contoso", scopes: ["User.Read"] },
  ],
  appPermissions: [
    { assignmentId: "a-dir", resource: graph, appRoleId: "role-dir", value: "Directory.Read.All" },
    { assignmentId: "a-full", resource: exchange, appRoleId: "role-full", value: "full_access_as_app" },
  ],
  assignments: [{ assignmentId: "as-sales", principalType: "Group", principalId: "g-sales", principalDisplayName: "Sales" }],
};

const none: RevokeSelection = { scopes: [], appRoles: [], users: [], deleteServicePrincipal: false };

describe("planRevoke: tenant-wide scopes", () => {
  it("keeps the scopes not chosen (PATCH with the rest) and affects every user", () => {
    const plan = planRevoke({ selection: { ...none, scopes: [{ resourceAppId: GRAPH, scopes: ["mail.send"] }] }, state, adminWids: CAA });
    const [change] = plan.scopes;
    expect(change?.remove.map((p) => p.value)).toEqual(["Mail.Send"]);
    expect(change?.remaining).toEqual(["User.Read", "Mail.Read"]);
    expect(change?.deletesGrant).toBe(false);
    expect(plan.everyoneAffected).toBe(true);
    expect(plan.changeCount).toBe(1);
  });

  it("deletes the grant when no scope remains", () => {
    const plan = planRevoke({ selection: { ...none, scopes: [{ resourceAppId: GRAPH, scopes: ["User.Read", "Mail.Read", "Mail.Send"] }] }, state, adminWids: CAA });
    expect(plan.scopes[0]?.deletesGrant).toBe(true);
    expect(plan.scopes[0]?.remaining).toEqual([]);
  });

  it("names users who keep a removed scope through their own consent", () => {
    const plan = planRevoke({ selection: { ...none, scopes: [{ resourceAppId: GRAPH, scopes: ["Mail.Send", "Mail.Read"] }] }, state, adminWids: CAA });
    expect(plan.scopes[0]?.keptByOwnConsent).toEqual([{ name: "Riley Chen", upn: "riley@contoso", scopes: ["Mail.Send"] }]);
  });

  it("changes nothing for scopes that are not granted (stale or smuggled)", () => {
    const plan = planRevoke({ selection: { ...none, scopes: [{ resourceAppId: GRAPH, scopes: ["Files.Read.All"] }, { resourceAppId: OTHER_API, scopes: ["EWS.AccessAsUser.All"] }] }, state, adminWids: GA });
    expect(plan.scopes).toHaveLength(1);
    expect(plan.scopes[0]?.notGranted).toEqual(["Files.Read.All"]);
    expect(plan.changeCount).toBe(0);
    expect(plan.everyoneAffected).toBe(false);
  });
});

describe("planRevoke: application permissions", () => {
  it("blocks removing Microsoft Graph application permissions for a Cloud Application Administrator, with the grant reason's wording", () => {
    const plan = planRevoke({ selection: { ...none, appRoles: [{ resourceAppId: GRAPH, values: ["Directory.Read.All"] }, { resourceAppId: OTHER_API, values: ["full_access_as_app"] }] }, state, adminWids: CAA });
    expect(plan.appRoles.map((r) => [r.permission.value, r.blockedReason])).toEqual([
      ["Directory.Read.All", GRAPH_APP_ROLE_REMOVE_REASON],
      ["full_access_as_app", null],
    ]);
    expect(GRAPH_APP_ROLE_REMOVE_REASON).toBe(GRAPH_APP_ROLE_REASON.replace("grant", "remove"));
    expect(plan.changeCount).toBe(1);
    expect(plan.appLosesOwnAccess).toBe(true);
    expect(plan.everyoneAffected).toBe(false);
  });

  it("lets a Privileged Role Administrator remove them", () => {
    const plan = planRevoke({ selection: { ...none, appRoles: [{ resourceAppId: GRAPH, values: ["directory.read.all"] }] }, state, adminWids: PRA });
    expect(plan.appRoles[0]).toMatchObject({ assignmentId: "a-dir", appRoleId: "role-dir", blockedReason: null });
  });

  it("does nothing for a permission that is not granted", () => {
    const plan = planRevoke({ selection: { ...none, appRoles: [{ resourceAppId: GRAPH, values: ["User.Read.All"] }] }, state, adminWids: GA });
    expect(plan.appRoles[0]?.notGranted).toBe(true);
    expect(plan.changeCount).toBe(0);
  });
});

describe("planRevoke: one user's consent", () => {
  it("revokes every Principal grant of that user, names only them", () => {
    const plan = planRevoke({ selection: { ...none, users: ["U-RILEY".toLowerCase()] }, state, adminWids: CAA });
    expect(plan.users).toHaveLength(1);
    expect(plan.users[0]?.grants.map((g) => g.grantId)).toEqual(["g-riley", "g-riley-exo"]);
    expect(plan.affectedUsers.map((u) => u.name)).toEqual(["Riley Chen"]);
    expect(plan.everyoneAffected).toBe(false);
    expect(plan.changeCount).toBe(2);
  });

  it("reports a user with no consent of their own instead of failing", () => {
    const plan = planRevoke({ selection: { ...none, users: ["u-nobody"] }, state, adminWids: CAA });
    expect(plan.users).toEqual([]);
    expect(plan.usersWithoutConsent).toEqual(["u-nobody"]);
    expect(plan.changeCount).toBe(0);
  });
});

describe("planRevoke: delete the service principal", () => {
  it("affects everyone and names every user with their own consent and every assignment", () => {
    const plan = planRevoke({ selection: { ...none, deleteServicePrincipal: true, users: ["u-riley"] }, state, adminWids: CAA });
    expect(plan.deleteServicePrincipal).toEqual({ blockedReason: null });
    expect(plan.everyoneAffected).toBe(true);
    expect(plan.affectedUsers.map((u) => u.name)).toEqual(["Riley Chen", "Jordan Diaz"]);
    expect(plan.affectedAssignments).toEqual([{ name: "Sales", type: "Group" }]);
    expect(plan.users).toEqual([]);
    expect(plan.changeCount).toBe(1);
  });

  it("is blocked for a Privileged Role Administrator (service principals need an application admin role)", () => {
    const plan = planRevoke({ selection: { ...none, deleteServicePrincipal: true }, state, adminWids: PRA });
    expect(plan.deleteServicePrincipal?.blockedReason).toBe(SERVICE_PRINCIPAL_ROLE_REASON);
    expect(plan.changeCount).toBe(0);
  });

  it("plans nothing when the app is not in the tenant", () => {
    const plan = planRevoke({ selection: { ...none, deleteServicePrincipal: true }, state: { ...state, servicePrincipal: null }, adminWids: GA });
    expect(plan.deleteServicePrincipal).toBeNull();
    expect(plan.changeCount).toBe(0);
  });
});

describe("planRevoke: prohibit (block or delete)", () => {
  const signIns = [
    { userId: "u-avery", name: "Avery Park", upn: "avery@contoso", at: "2026-12-01T10:00:00Z" },
    { userId: "u-avery", name: "Avery Park", upn: "avery@contoso", at: "2026-12-03T10:00:00Z" },
    { userId: "u-riley", name: "Riley Chen", upn: "riley@contoso", at: "2026-12-02T10:00:00Z" },
  ];

  it("blocking disables sign-in, requires assignment and removes every grant, naming everyone whose access changes", () => {
    const plan = planRevoke({ selection: { ...none, block: true }, state, adminWids: GA, signIns });
    expect(plan.block).toEqual({ blockedReason: null, disablesSignIn: true, requiresAssignment: true });
    expect(plan.scopes[0]?.deletesGrant).toBe(true);
    expect(plan.appRoles.map((r) => r.permission.value)).toEqual(["Directory.Read.All", "full_access_as_app"]);
    expect(plan.users.map((u) => u.name)).toEqual(["Riley Chen", "Jordan Diaz"]);
    expect(plan.consentAgain?.possible).toBe(false);
    // Riley has her own consent (named there); Avery used the tenant-wide grant: the sign-in log names him, once, with the latest date.
    expect(plan.signedInUsers).toEqual([{ name: "Avery Park", upn: "avery@contoso", why: "Signed in through the tenant-wide grant (last on 2026-12-03, sign-in log)." }]);
    expect(plan.affectedAssignments).toEqual([{ name: "Sales", type: "Group" }]);
    expect(plan.changeCount).toBe(2 + 1 + 2 + 3);
  });

  it("blocking is all or nothing for a role that cannot change the service principal", () => {
    const plan = planRevoke({ selection: { ...none, block: true }, state, adminWids: PRA });
    expect(plan.block?.blockedReason).toBe(SERVICE_PRINCIPAL_ROLE_REASON);
    expect(plan.changeCount).toBe(0);
  });

  it("blocking an already blocked app without grants changes nothing", () => {
    const blockedState: AppState = { ...state, servicePrincipal: { ...state.servicePrincipal!, accountEnabled: false, appRoleAssignmentRequired: true }, tenantWide: [], userConsents: [], appPermissions: [] };
    const plan = planRevoke({ selection: { ...none, block: true }, state: blockedState, adminWids: GA });
    expect(plan.block).toEqual({ blockedReason: null, disablesSignIn: false, requiresAssignment: false });
    expect(plan.changeCount).toBe(0);
  });

  it("deleting carries whether users could consent again, the sign-in log's users, or why the log could not be read", () => {
    const consentAgain = { possible: true, reason: "the setting lets them", scopes: ["Mail.Send"] };
    const plan = planRevoke({ selection: { ...none, deleteServicePrincipal: true }, state, adminWids: CAA, consentAgain, signIns });
    expect(plan.consentAgain).toEqual(consentAgain);
    expect(plan.signedInUsers.map((u) => u.name)).toEqual(["Avery Park"]);
    const unread = planRevoke({ selection: { ...none, deleteServicePrincipal: true }, state, adminWids: CAA, signIns: { unavailable: "no log" } });
    expect(unread.signInLogUnavailable).toBe("no log");
    expect(unread.signedInUsers).toEqual([]);
  });
});
