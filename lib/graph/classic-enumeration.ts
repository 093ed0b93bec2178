import type { Client } from "@microsoft/microsoft-graph-client";
import type { AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal } from "@microsoft/microsoft-graph-types";
import { listAll } from "./paging";

/**
 * The consent enumeration of the classic PowerShell scripts, kept as the inventory benchmark's yardstick
 * (bench/inventory): list every service principal, then for each one its delegated grants
 * (GET /servicePrincipals/{id}/oauth2PermissionGrants) and its application permissions
 * (GET /servicePrincipals/{id}/appRoleAssignments), each followed through every page. Page sizes are
 * Graph's defaults, as the cmdlets' `-All` uses them (Get-MgServicePrincipal, Get-MgServicePrincipalOauth2PermissionGrant,
 * Get-MgServicePrincipalAppRoleAssignment). The scripts run one service principal after another; with
 * `concurrency` > 1 several run at once, as `ForEach-Object -Parallel -ThrottleLimit n` would.
 * Not what the portal runs: its scan reads the tenant-wide collections (lib/graph/inventory.ts).
 */
export type ClassicEnumeration = {
  servicePrincipals: number;
  grants: Pick<OAuth2PermissionGrant, "id" | "clientId">[];
  appRoleAssignments: Pick<AppRoleAssignment, "id" | "principalId">[];
};

export async function classicEnumeration(
  client: Client,
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ClassicEnumeration> {
  const servicePrincipals = await listAll<ServicePrincipal>(client, "/servicePrincipals");
  const grants: ClassicEnumeration["grants"] = [];
  const appRoleAssignments: ClassicEnumeration["appRoleAssignments"] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < servicePrincipals.length; i = next++) {
      const id = servicePrincipals[i]?.id ?? "";
      const delegated = await listAll<OAuth2PermissionGrant>(client, `/servicePrincipals/${id}/oauth2PermissionGrants`);
      const application = await listAll<AppRoleAssignment>(client, `/servicePrincipals/${id}/appRoleAssignments`);
      for (const g of delegated) grants.push({ id: g.id, clientId: g.clientId });
      for (const a of application) appRoleAssignments.push({ id: a.id, principalId: a.principalId });
      done += 1;
      options.onProgress?.(done, servicePrincipals.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return { servicePrincipals: servicePrincipals.length, grants, appRoleAssignments };
}
