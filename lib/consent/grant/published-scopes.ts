import type { Client } from "@microsoft/microsoft-graph-client";
import { readDelegatedScopesOf } from "@/lib/graph/service-principals";

/**
 * The enabled delegated permissions each API publishes (its service principal's oauth2PermissionScopes), by
 * resource appId. Graph stores any scope string a grant is given, so the grant plan checks against these (S8).
 */
export async function readPublishedScopes(client: Client, resourceAppIds: readonly string[]): Promise<Map<string, string[]>> {
  return new Map(
    await Promise.all(
      [...new Set(resourceAppIds)].map(async (appId) => {
        const { scopes } = await readDelegatedScopesOf(client, appId);
        return [appId, scopes.flatMap((scope) => (scope.value && scope.isEnabled !== false ? [scope.value] : []))] as const;
      }),
    ),
  );
}
