import { describe, expect, it } from "vitest";
import { adminCapabilities, ENTRA_ROLES, entraRoleNames, portalRoleFor } from "./roles";

describe("portalRoleFor", () => {
  it.each([
    [[ENTRA_ROLES.globalAdministrator], "admin"],
    [[ENTRA_ROLES.privilegedRoleAdministrator], "admin"],
    [[ENTRA_ROLES.cloudApplicationAdministrator], "admin"],
    [[ENTRA_ROLES.applicationAdministrator], "admin"],
    [[ENTRA_ROLES.securityReader], "reviewer"],
    [[ENTRA_ROLES.globalReader], "reviewer"],
    [[ENTRA_ROLES.securityAdministrator], "reviewer"],
    [[ENTRA_ROLES.securityReader, ENTRA_ROLES.cloudApplicationAdministrator], "admin"],
    [[], "user"],
    [["b79fbf4d-3ef9-4689-8143-76b194e85509"], "user"],
  ] as const)("maps %j to %s", (wids, role) => {
    expect(portalRoleFor(wids)).toBe(role);
  });

  it("names only the roles it knows", () => {
    expect(entraRoleNames([ENTRA_ROLES.securityReader, "unknown"])).toEqual(["Security Reader"]);
  });
});

describe("adminCapabilities", () => {
  const allowed = (wids: string[]) => adminCapabilities(wids).filter((c) => c.allowed).map((c) => c.label);

  it("lets only Global and Privileged Role Administrators grant Microsoft Graph application permissions", () => {
    expect(allowed([ENTRA_ROLES.globalAdministrator])).toContain("Grant Microsoft Graph application permissions");
    expect(allowed([ENTRA_ROLES.privilegedRoleAdministrator])).toContain("Grant Microsoft Graph application permissions");
    expect(allowed([ENTRA_ROLES.cloudApplicationAdministrator])).not.toContain("Grant Microsoft Graph application permissions");
  });

  it("lets a Cloud Application Administrator grant delegated permissions only", () => {
    expect(allowed([ENTRA_ROLES.cloudApplicationAdministrator])).toEqual(["Grant delegated permissions tenant-wide"]);
  });
});
