import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import type { CatalogApp } from "@/lib/catalog";
import type { GraphSession } from "@/lib/graph/client";
import { readAppState, ResourceDirectory, type AppState } from "./app-state";
import { planGrant, type GrantPlan, type GrantSelection } from "./grant-plan";

/** Reads the tenant and plans a grant: the same computation for the preview page and the action. */
export async function loadGrantPlan(graph: GraphSession, user: SignedInUser, app: CatalogApp, selection: GrantSelection): Promise<{ state: AppState; plan: GrantPlan }> {
  const resources = new ResourceDirectory(graph.client);
  const state = await readAppState(graph, app.appId, resources);
  const apis = [...new Set([...selection.delegated.map((d) => d.resourceAppId), ...selection.appRoles.map((r) => r.resourceAppId)])];
  const resourceMap = new Map(await Promise.all(apis.map(async (appId) => [appId, await resources.byApp(appId)] as const)));
  return { state, plan: planGrant({ selection, state, resources: resourceMap, adminWids: user.wids }) };
}
