import { describe, expect, it } from "vitest";
import { ENTRA_ROLES } from "@/lib/roles";
import type { AppState, ResourceInfo } from "../app-state";
import { GRAPH_APP_ROLE_REASON, planGrant, selectAll } from "./plan";

const GRAPH = "00000003-0000-0000-c000-000000000000";
const graph: ResourceInfo = {
  id: "sp-graph",
  appId: GRAPH,
  displayName: "Microsoft Graph",
  appRoles: [
    { id: "role-dir-read", value: "Directory.Read.All" },
    { id: "role-user-rw", value: "User.ReadWrite.All" },
  ],
};
const empty: AppState = { servicePrincipal: null, tenantWide: [], userConsents: [], appPermissions: [], assignments: [] };
const present: AppState = {
  ...empty,
  servicePrincipal: { id: "sp-app", appId: "app", displayName: "App", accountEnabled: true, appRoleAssignmentRequired: false, tags: [], publisherName: null, verifiedPublisher: null },
  tenantWide: [{ grantId: "g1", resource: graph, scopes: ["User.Read", "Mail.Send"] }],
  appPermissions: [{ assignmentId: "a1", resource: graph, appRoleId: "role-dir-read", value: "Directory.Read.All" }],
};
const selection = selectAll([{ resourceAppId: GRAPH, scopes: ["User.Read", "Mail.Send", "Mail.ReadWrite"], appRoles: ["Directory.Read.All", "User.ReadWrite.All"] }]);
const resources = new Map([[GRAPH, graph]]);
const publishedScopes = new Map([[GRAPH, ["openid", "User.Read", "Mail.Send", "Mail.ReadWrite", "Directory.Read.All"]]]);

describe("planGrant", () => {
  it("creates the service principal and grants everything when the app is not in the tenant", () => {
    const plan = planGrant({ selection, state: empty, resources, publishedScopes, adminWids: [ENTRA_ROLES.globalAdministrator] });
    expect(plan.createServicePrincipal).toBe(true);
    expect(plan.delegated[0]!.add.map((p) => p.value)).toEqual(["User.Read", "Mail.Send", "Mail.ReadWrite"]);
    expect(plan.appRoles.map((r) => [r.permission.value, r.blockedReason])).toEqual([
      ["Directory.Read.All", null],
      ["User.ReadWrite.All", null],
    ]);
    expect(plan.changeCount).toBe(3);
  });

  it("merges with the existing grant: keeps its scopes, adds only what is missing", () => {
    const plan = planGrant({ selection, state: present, resources, publishedScopes, adminWids: [ENTRA_ROLES.globalAdministrator] });
    const change = plan.delegated[0]!;
    expect(change.existingGrantId).toBe("g1");
    expect(change.alreadyGranted).toEqual(["User.Read", "Mail.Send"]);
    expect(change.add.map((p) => p.value)).toEqual(["Mail.ReadWrite"]);
    expect(change.resultingScope).toBe("User.Read Mail.Send Mail.ReadWrite");
    expect(plan.appRoles.find((r) => r.permission.value === "Directory.Read.All")?.alreadyAssigned).toBe(true);
    expect(plan.createServicePrincipal).toBe(false);
  });

  it("says nothing changes when everything is granted already", () => {
    const all: AppState = {
      ...present,
      tenantWide: [{ grantId: "g1", resource: graph, scopes: ["user.read", "Mail.Send", "Mail.ReadWrite"] }],
      appPermissions: [...present.appPermissions, { assignmentId: "a2", resource: graph, appRoleId: "role-user-rw", value: "User.ReadWrite.All" }],
    };
    expect(planGrant({ selection, state: all, resources, publishedScopes, adminWids: [ENTRA_ROLES.globalAdministrator] }).changeCount).toBe(0);
  });

  it("blocks Microsoft Graph application permissions for a Cloud Application Administrator, with the reason", () => {
    const plan = planGrant({ selection, state: present, resources, publishedScopes, adminWids: [ENTRA_ROLES.cloudApplicationAdministrator] });
    const missing = plan.appRoles.find((r) => r.permission.value === "User.ReadWrite.All")!;
    expect(missing.blockedReason).toBe(GRAPH_APP_ROLE_REASON);
    // Already granted ones are not "blocked": nothing would be done with them.
    expect(plan.appRoles.find((r) => r.permission.value === "Directory.Read.All")!.blockedReason).toBeNull();
    expect(plan.changeCount).toBe(1);
  });

  it("refuses app roles the API does not publish and APIs missing from the tenant", () => {
    const plan = planGrant({
      selection: { delegated: [{ resourceAppId: "00000002-0000-0ff1-ce00-000000000000", scopes: ["EWS.AccessAsUser.All"] }], appRoles: [{ resourceAppId: GRAPH, values: ["No.Such.Role"] }] },
      state: empty,
      resources: new Map([[GRAPH, graph]]),
      publishedScopes,
      adminWids: [ENTRA_ROLES.globalAdministrator],
    });
    expect(plan.delegated[0]!.blockedReason).toMatch(/no service principal/);
    expect(plan.appRoles[0]!.blockedReason).toMatch(/does not publish/);
    expect(plan.changeCount).toBe(0);
    expect(plan.createServicePrincipal).toBe(false);
  });

  // S8: Graph stores any scope string a grant is given (GRAPH.md; the simulator does the same), so a scope
  // the API does not publish must be stopped here, before anything is written.
  it("refuses delegated scopes the API does not publish, naming them, and changes nothing on that API", () => {
    const plan = planGrant({
      selection: { delegated: [{ resourceAppId: GRAPH, scopes: ["User.Read", "Mail.ReadWrit", "No.Such.Scope"] }], appRoles: [] },
      state: present,
      resources,
      publishedScopes,
      adminWids: [ENTRA_ROLES.globalAdministrator],
    });
    const change = plan.delegated[0]!;
    expect(change.blockedReason).toBe("Microsoft Graph does not publish a delegated permission named Mail.ReadWrit, No.Such.Scope, so nothing is granted on it. Deselect them.");
    expect(plan.changeCount).toBe(0);
    // published scopes match case-insensitively, as Entra's do; scopes already granted are not judged again
    const ok = planGrant({
      selection: { delegated: [{ resourceAppId: GRAPH, scopes: ["mail.readwrite"] }], appRoles: [] },
      state: { ...present, tenantWide: [{ grantId: "g1", resource: graph, scopes: ["Legacy.Scope"] }] },
      resources,
      publishedScopes,
      adminWids: [ENTRA_ROLES.globalAdministrator],
    });
    expect(ok.delegated[0]!.blockedReason).toBeNull();
    expect(ok.delegated[0]!.resultingScope).toBe("Legacy.Scope mail.readwrite");
    expect(ok.changeCount).toBe(1);
  });
});
