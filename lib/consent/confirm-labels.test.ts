import { describe, expect, it } from "vitest";
import type { AccessPlan } from "./access/plan";
import { accessLabel, classificationsLabel, grantLabel, revokeLabel } from "./confirm-labels";
import type { GrantPlan } from "./grant/plan";
import type { RevokePlan } from "./revoke/plan";

const permission = (value: string) => ({ value });
const grant = (delegated: { add: string[]; blockedReason?: string }[], appRoles: { blockedReason?: string; alreadyAssigned?: boolean }[]) =>
  ({
    delegated: delegated.map((change) => ({ add: change.add.map(permission), blockedReason: change.blockedReason ?? null })),
    appRoles: appRoles.map((change) => ({ blockedReason: change.blockedReason ?? null, alreadyAssigned: change.alreadyAssigned ?? false })),
  }) as unknown as GrantPlan;

describe("grantLabel", () => {
  it("counts only what will be granted: not blocked, not already there", () => {
    const plan = grant([{ add: ["Mail.Send", "Mail.Read"] }, { add: ["Files.Read"], blockedReason: "no API" }], [{}, { blockedReason: "role" }, { alreadyAssigned: true }]);
    expect(grantLabel(plan, false)).toBe("Grant 3 permissions to all users");
    expect(grantLabel(grant([{ add: ["User.Read"] }], []), false)).toBe("Grant 1 permission to all users");
  });
  it("says when the grant also approves a request, and when it only approves", () => {
    expect(grantLabel(grant([{ add: ["User.Read"] }], []), true)).toBe("Grant 1 permission to all users and approve the request");
    expect(grantLabel(grant([{ add: [] }], []), true)).toBe("Approve the request (everything asked for is granted already)");
    expect(grantLabel(grant([{ add: [] }], []), false)).toBe("Nothing to grant");
  });
});

const revoke = (plan: Partial<RevokePlan>) => ({ deleteServicePrincipal: null, block: null, scopes: [], appRoles: [], users: [], ...plan }) as unknown as RevokePlan;

describe("revokeLabel", () => {
  it("names deleting and blocking the app", () => {
    expect(revokeLabel(revoke({ deleteServicePrincipal: { blockedReason: null } }), "Nylas")).toBe("Delete the app from the tenant");
    expect(revokeLabel(revoke({ block: { blockedReason: null, disablesSignIn: true, requiresAssignment: true } }), "Nylas")).toBe("Block Nylas");
  });
  it("counts permissions and users' own consents", () => {
    const scopes = [{ remove: [permission("Mail.Send"), permission("Mail.Read")] }] as unknown as RevokePlan["scopes"];
    const appRoles = [{ blockedReason: null, notGranted: false }, { blockedReason: "role", notGranted: false }] as unknown as RevokePlan["appRoles"];
    const users = [{ principalId: "1" }] as unknown as RevokePlan["users"];
    expect(revokeLabel(revoke({ scopes, appRoles, users }), "Nylas")).toBe("Revoke 3 permissions and 1 user's own consent");
    expect(revokeLabel(revoke({ users: [...users, ...users] }), "Nylas")).toBe("Revoke 2 users' own consents");
    expect(revokeLabel(revoke({}), "Nylas")).toBe("Nothing to revoke");
  });
});

const flag = (from: boolean, to: boolean) => ({ from, to, changes: from !== to });
const access = (plan: Partial<AccessPlan>) =>
  ({ servicePrincipalBlockedReason: null, assignmentRequired: flag(false, false), signInEnabled: flag(true, true), hidden: flag(false, false), assign: [], unassign: [], ...plan }) as unknown as AccessPlan;

describe("accessLabel", () => {
  it("says each change in order, for the app", () => {
    const assign = [{ alreadyAssigned: false }, { alreadyAssigned: false }, { alreadyAssigned: true }] as unknown as AccessPlan["assign"];
    expect(accessLabel(access({ assignmentRequired: flag(false, true), assign, signInEnabled: flag(true, false) }), "Nylas")).toBe(
      "For Nylas: require assignment, assign 2 users or groups and disable sign-in",
    );
    expect(accessLabel(access({ hidden: flag(false, true) }), "Nylas")).toBe("For Nylas: hide it from My Apps");
  });
  it("leaves out the switches a role cannot change", () => {
    const unassign = [{ assignmentId: "a" }] as unknown as AccessPlan["unassign"];
    expect(accessLabel(access({ servicePrincipalBlockedReason: "role", assignmentRequired: flag(false, true), unassign }), "Nylas")).toBe("For Nylas: unassign 1 user or group");
    expect(accessLabel(access({ servicePrincipalBlockedReason: "role", assignmentRequired: flag(false, true) }), "Nylas")).toBe("Nothing to change");
  });
});

describe("classificationsLabel", () => {
  const entry = (permissionName: string) => ({ id: permissionName, permissionId: permissionName, permissionName });
  it("counts what is marked and unmarked", () => {
    expect(classificationsLabel({ toAdd: [entry("User.Read"), entry("email")], toRemove: [] })).toBe("Mark 2 permissions low impact");
    expect(classificationsLabel({ toAdd: [entry("User.Read")], toRemove: [entry("Mail.Send")] })).toBe("Mark 1 permission low impact and unmark 1 permission");
    expect(classificationsLabel({ toAdd: [], toRemove: [entry("Mail.Send")] })).toBe("Remove the low-impact mark from 1 permission");
  });
});
