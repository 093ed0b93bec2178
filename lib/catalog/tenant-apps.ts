import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { listServicePrincipals } from "@/lib/graph/service-principals";

/** Microsoft's own tenant: its first-party service principals are not third-party apps. */
const MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
/** Bounds the read for huge tenants: the picker is a convenience, the app ID field takes any app. */
const MAX_SERVICE_PRINCIPALS = 5000;

export type TenantApp = { appId: string; displayName: string };

/**
 * Third-party apps already in the tenant that the catalog does not list yet (`known`: the catalog's app
 * IDs, lower case), by name, read as the signed-in admin. Microsoft's apps and the tenant's own are left out.
 */
export async function tenantAppsNotInCatalog(user: SignedInUser, known: readonly string[]): Promise<TenantApp[]> {
  const listed = await readAsUser(user, (graph) => listServicePrincipals(graph.client, MAX_SERVICE_PRINCIPALS));
  const inCatalog = new Set(known.map((appId) => appId.toLowerCase()));
  return listed
    .filter((sp) => sp.appOwnerOrganizationId !== MICROSOFT_TENANT && sp.appOwnerOrganizationId !== user.tid && !inCatalog.has(sp.appId.toLowerCase()))
    .map((sp) => ({ appId: sp.appId, displayName: sp.displayName }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}
