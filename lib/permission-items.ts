import type { CatalogPermissions } from "@/lib/catalog";
import type { ListedPermission } from "@/lib/permission-groups";
import { describePermission, heldPermissionRisk, resourceName, type PermissionKind } from "@/lib/permissions";

/** A permission as the permission lists show it: Microsoft's description, and the level it is grouped under. */
export function listedPermission(resourceAppId: string, kind: PermissionKind, value: string, name: string = resourceName(resourceAppId)): ListedPermission {
  const info = describePermission(resourceAppId, kind, value);
  return {
    key: `${kind}|${resourceAppId}|${value.toLowerCase()}`,
    resourceAppId,
    resourceName: name,
    kind,
    value,
    risk: heldPermissionRisk(resourceAppId, kind, value),
    displayName: info.displayName,
  };
}

/** Every permission of a catalog entry or a request: delegated first, then application, per API. */
export function listedPermissions(permissions: CatalogPermissions): ListedPermission[] {
  return permissions.flatMap((api) => [
    ...api.scopes.map((scope) => listedPermission(api.resourceAppId, "delegated", scope)),
    ...api.appRoles.map((role) => listedPermission(api.resourceAppId, "application", role)),
  ]);
}
