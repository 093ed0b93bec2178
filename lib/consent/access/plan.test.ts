import { describe, expect, it } from "vitest";
import { ENTRA_ROLES } from "@/lib/roles";
import { DEFAULT_ACCESS_ROLE_ID, patchFor, planAccess, type AccessSelection, type DirectoryPrincipal } from "./plan";
import type { AppState, ResourceInfo } from "../app-state";
import { SERVICE_PRINCIPAL_ROLE_REASON } from "../revoke/plan";

const graph: ResourceInfo = { id: "sp-graph", appId: "00000003-0000-0000-c000-000000000000", displayName: "Microsoft Graph", appRoles: [] };
const CAA = [ENTRA_ROLES.cloudApplicationAdministrator];
const PRA = [ENTRA_ROLES.privilegedRoleAdministrator];

const base: AppState = {
  servicePrincipal: {
    id: "sp-app",
    appId: "app",
    displayName: "Nylas",
    accountEnabled: true,
    appRoleAssignmentRequired: false,
    tags: ["WindowsAzureActiveDirectoryIntegratedApp"],
    publisherName: null,
    verifiedPublisher: null,
  },
  tenantWide: [],
  userConsents: [
    { grantId: "g1", resource: graph, principalId: "u-riley", principalName: "Riley Chen", principalUpn: "riley@contoso", scopes: ["Mail.Read"] },
    { grantId: "g2", resource: graph, principalId: "u-jordan", principalName: "Jordan Diaz", principalUpn: "jordan@contoso", scopes: ["User.Read"] },
  ],
  appPermissions: [],
  assignments: [],
};

const keep: AccessSelection = { assignmentRequired: "keep", signIn: "keep", visibility: "keep", assign: [], unassign: [], appRoleId: null };
const riley: DirectoryPrincipal = { type: "User", id: "u-riley", displayName: "Riley Chen", upn: "riley@contoso" };
const sales: DirectoryPrincipal = { type: "Group", id: "grp-sales", displayName: "Sales", upn: null };

function plan(selection: Partial<AccessSelection>, state: AppState = base, extra: { principals?: DirectoryPrincipal[]; members?: [string, string[]][]; appRoles?: { id: string; value: string }[]; wids?: string[] } = {}) {
  return planAccess({
    selection: { ...keep, ...selection },
    state,
    principals: new Map((extra.principals ?? []).map((p) => [p.id, p])),
    groupMembers: new Map(extra.members ?? []),
    appRoles: extra.appRoles ?? [],
    adminWids: extra.wids ?? CAA,
  });
}

describe("planAccess: the lock-out warning", () => {
  it("warns that everyone is locked out when assignment is required and nobody is assigned", () => {
    const p = plan({ assignmentRequired: "on" });
    expect(p.assignmentRequired).toEqual({ from: false, to: true, changes: true });
    expect(p.lockOut?.everyone).toBe(true);
    expect(p.lockOut?.users.map((u) => u.name)).toEqual(["Riley Chen", "Jordan Diaz"]);
  });

  it("names users with their own consent who are not assigned, counting direct and group assignments", () => {
    const p = plan({ assignmentRequired: "on", assign: [{ type: "User", id: "u-riley" }] }, base, { principals: [riley] });
    expect(p.lockOut?.everyone).toBe(false);
    expect(p.lockOut?.users).toEqual([{ name: "Jordan Diaz", upn: "jordan@contoso" }]);

    const viaGroup = plan({ assignmentRequired: "on", assign: [{ type: "Group", id: "grp-sales" }] }, base, { principals: [sales], members: [["grp-sales", ["u-riley", "u-jordan"]]] });
    expect(viaGroup.lockOut).toBeNull();
  });

  it("does not warn when assignment is not being required", () => {
    expect(plan({ assign: [{ type: "User", id: "u-riley" }] }, base, { principals: [riley] }).lockOut).toBeNull();
    expect(plan({ assignmentRequired: "off" }).lockOut).toBeNull();
  });

  it("warns when unassigning someone while assignment is already required", () => {
    const state: AppState = {
      ...base,
      servicePrincipal: { ...base.servicePrincipal!, appRoleAssignmentRequired: true },
      assignments: [{ assignmentId: "as-riley", principalType: "User", principalId: "u-riley", principalDisplayName: "Riley Chen" }],
    };
    const p = plan({ unassign: ["as-riley"] }, state);
    expect(p.assignmentRequired.changes).toBe(false);
    expect(p.lockOut?.everyone).toBe(true);
    expect(p.lockOut?.unassignedUsers).toEqual(["Riley Chen"]);
    expect(p.changeCount).toBe(1);
  });

  it("mentions the tenant-wide grant's users when there is one", () => {
    const state: AppState = { ...base, tenantWide: [{ grantId: "all", resource: graph, scopes: ["User.Read"] }], userConsents: [] };
    const p = plan({ assignmentRequired: "on", assign: [{ type: "User", id: "u-riley" }] }, state, { principals: [riley] });
    expect(p.lockOut).toEqual({ everyone: false, users: [], unassignedUsers: [], tenantWideUsers: true });
  });
});

describe("planAccess: assignments", () => {
  it("uses Default Access when the app defines no roles, and the chosen role when it does", () => {
    expect(plan({ assign: [{ type: "User", id: "u-riley" }] }, base, { principals: [riley] }).assign[0]).toMatchObject({ appRoleId: DEFAULT_ACCESS_ROLE_ID, appRoleName: "Default Access" });
    const roles = [{ id: "r1", value: "Reader" }, { id: "r2", value: "Admin" }];
    expect(plan({ assign: [{ type: "User", id: "u-riley" }], appRoleId: "r2" }, base, { principals: [riley], appRoles: roles }).assign[0]?.appRoleId).toBe("r2");
    expect(plan({ assign: [{ type: "User", id: "u-riley" }] }, base, { principals: [riley], appRoles: roles }).assign[0]?.appRoleId).toBe("r1");
  });

  it("refuses principals not in the directory, a type that does not match, and unknown assignments", () => {
    const p = plan({ assign: [{ type: "User", id: "ghost" }, { type: "User", id: "grp-sales" }], unassign: ["nope"] }, base, { principals: [sales] });
    expect(p.unknown).toEqual(["User|ghost", "User|grp-sales", "nope"]);
    expect(p.assign).toEqual([]);
  });

  it("does not assign someone twice", () => {
    const state: AppState = { ...base, assignments: [{ assignmentId: "as-riley", principalType: "User", principalId: "u-riley", principalDisplayName: "Riley Chen" }] };
    const p = plan({ assign: [{ type: "User", id: "u-riley" }] }, state, { principals: [riley] });
    expect(p.assign[0]?.alreadyAssigned).toBe(true);
    expect(p.changeCount).toBe(0);
  });
});

describe("planAccess: sign-in and visibility", () => {
  it("disabling sign-in is flagged as affecting everyone; hiding keeps every other tag", () => {
    const p = plan({ signIn: "off", visibility: "hide" });
    expect(p.disablesEveryone).toBe(true);
    expect(p.hidden).toEqual({ from: false, to: true, changes: true });
    expect(p.tagsAfter).toEqual(["WindowsAzureActiveDirectoryIntegratedApp", "HideApp"]);
    expect(p.changeCount).toBe(2);
  });

  it("keeps what is already so", () => {
    const p = plan({ signIn: "on", visibility: "show", assignmentRequired: "off" });
    expect(p.changeCount).toBe(0);
  });

  it("blocks service principal switches for a Privileged Role Administrator but still lets them assign", () => {
    const p = plan({ assignmentRequired: "on", assign: [{ type: "User", id: "u-riley" }] }, base, { principals: [riley], wids: PRA });
    expect(p.servicePrincipalBlockedReason).toBe(SERVICE_PRINCIPAL_ROLE_REASON);
    expect(p.changeCount).toBe(1);
  });
});

describe("patchFor (re-read before PATCH)", () => {
  const now = { appRoleAssignmentRequired: false, accountEnabled: true, tags: ["A", "HideApp", "B"] };
  it("sends only what still differs, and the whole tag list", () => {
    expect(patchFor(now, "appRoleAssignmentRequired", true)).toEqual({ appRoleAssignmentRequired: true });
    expect(patchFor(now, "accountEnabled", true)).toBeNull();
    expect(patchFor(now, "tags", true)).toBeNull();
    expect(patchFor(now, "tags", false)).toEqual({ tags: ["A", "B"] });
    expect(patchFor({ ...now, tags: ["A", "B"] }, "tags", true)).toEqual({ tags: ["A", "B", "HideApp"] });
  });
});
