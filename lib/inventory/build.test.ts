import { describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { buildInventoryApp, MICROSOFT_TENANT_ID, resourceInfo } from "./build";
import type { ScannedAppRoleAssignment, ScannedDelegatedGrant, ScannedServicePrincipal } from "./types";

const TENANT = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";
const GRAPH_SP = "551f3eb4-8e6e-440b-b5a1-9096c80fbaaf";
const MAIL_READ_ALL_ROLE = "810c84a8-4a9e-49e6-bf7d-12d183f40d01"; // Microsoft Graph's Mail.Read (application)

const sp = (over: Partial<ScannedServicePrincipal>): ScannedServicePrincipal => ({
  id: "0a000000-0000-4000-8000-000000000001", appId: "0b000000-0000-4000-8000-000000000001", displayName: "Mail Sync", publisherName: "Fabrikam",
  verifiedPublisher: null, appOwnerOrganizationId: "0c000000-0000-4000-8000-000000000001", signInAudience: "AzureADMultipleOrgs",
  accountEnabled: true, appRoleAssignmentRequired: false, servicePrincipalType: "Application", appRoles: [], createdDateTime: null, ...over,
});
const graph = sp({ id: GRAPH_SP, appId: MICROSOFT_GRAPH_APP_ID, displayName: "Microsoft Graph", appOwnerOrganizationId: MICROSOFT_TENANT_ID, appRoles: [{ id: MAIL_READ_ALL_ROLE, value: "Mail.Read" }] });
const resources = new Map([[GRAPH_SP, resourceInfo(graph)]]);
const client = sp({});

const grant = (over: Partial<ScannedDelegatedGrant>): ScannedDelegatedGrant => ({
  id: "g1", clientId: client.id, resourceId: GRAPH_SP, consentType: "AllPrincipals", principalId: null, scope: "User.Read", ...over,
});
const assignment = (over: Partial<ScannedAppRoleAssignment>): ScannedAppRoleAssignment => ({
  id: "a1", principalId: client.id, principalType: "ServicePrincipal", resourceId: GRAPH_SP, appRoleId: MAIL_READ_ALL_ROLE, createdDateTime: null, ...over,
});

describe("buildInventoryApp", () => {
  it("merges an app's grants into one permission per scope: tenant-wide, or the users who consented on their own", () => {
    const app = buildInventoryApp({
      sp: client, resources, tenantId: TENANT,
      grants: [
        grant({ id: "g1", scope: " User.Read  Mail.Read " }),
        grant({ id: "g2", consentType: "Principal", principalId: "1a000000-0000-4000-8000-000000000001", scope: "Mail.Read Files.Read" }),
        grant({ id: "g3", consentType: "Principal", principalId: "1A000000-0000-4000-8000-000000000002", scope: "Files.Read" }),
      ],
      assignments: [],
    });
    const byValue = Object.fromEntries(app.permissions.map((p) => [p.value, p]));
    expect(Object.keys(byValue).sort()).toEqual(["Files.Read", "Mail.Read", "User.Read"]);
    expect(byValue["Mail.Read"]).toMatchObject({ kind: "delegated", allUsers: true, userCount: 1, resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceName: "Microsoft Graph" });
    expect(byValue["Files.Read"]).toMatchObject({ allUsers: false, userCount: 2, userIds: ["1a000000-0000-4000-8000-000000000001", "1a000000-0000-4000-8000-000000000002"] });
    expect(byValue["User.Read"]).not.toHaveProperty("userIds");
    expect(app.consentedUsers).toBe(2);
    expect(app.grantIds).toEqual(["g1", "g2", "g3"]);
  });

  it("names application permissions by the API's app role and rates them", () => {
    const app = buildInventoryApp({ sp: client, resources, tenantId: TENANT, grants: [], assignments: [assignment({}), assignment({ id: "a2", appRoleId: "9f000000-0000-4000-8000-00000000dead" })] });
    expect(app.permissions.map((p) => [p.kind, p.value, p.appRoleId])).toEqual(
      expect.arrayContaining([["application", "Mail.Read", MAIL_READ_ALL_ROLE], ["application", "9f000000-0000-4000-8000-00000000dead", "9f000000-0000-4000-8000-00000000dead"]]),
    );
    expect(app.permissions.find((p) => p.value === "Mail.Read")?.risk).not.toBe("Unrated");
    expect(app.assignmentIds).toEqual(["a1", "a2"]);
  });

  it("orders permissions the same way whatever order the rows came in, so two scans of the same consent compare equal", () => {
    const grants = [grant({ id: "g1", scope: "User.Read Mail.Read" }), grant({ id: "g2", consentType: "Principal", principalId: "1a000000-0000-4000-8000-000000000001", scope: "Files.Read" })];
    const one = buildInventoryApp({ sp: client, resources, tenantId: TENANT, grants, assignments: [assignment({})] });
    const two = buildInventoryApp({ sp: client, resources, tenantId: TENANT, grants: [...grants].reverse(), assignments: [assignment({})] });
    expect(two).toEqual(one);
  });

  it("tells first-party and multi-tenant apps from the tenant's own", () => {
    const build = (over: Partial<ScannedServicePrincipal>) => buildInventoryApp({ sp: sp(over), resources, tenantId: TENANT, grants: [grant({})], assignments: [] });
    expect(build({ appOwnerOrganizationId: MICROSOFT_TENANT_ID })).toMatchObject({ firstParty: true, multiTenant: true });
    expect(build({ appOwnerOrganizationId: TENANT, signInAudience: "AzureADMyOrg" })).toMatchObject({ firstParty: false, multiTenant: false });
    expect(build({})).toMatchObject({ firstParty: false, multiTenant: true });
  });
});
