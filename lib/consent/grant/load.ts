import "server-only";
import { findCatalogApp, type CatalogApp } from "@/lib/catalog";
import { readAppState, ResourceDirectory } from "../app-state";
import { isRefusal, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { loadApprovingRequest, type ApprovingRequest } from "./approving";
import { planGrant, type GrantPlan } from "./plan";
import { readPublishedScopes } from "./published-scopes";
import { selectionFrom, type GrantInput } from "./schema";

export type GrantWizardPlan = { app: CatalogApp; plan: GrantPlan; approving: ApprovingRequest | null };

/**
 * The catalog app, the chosen permissions (only ones the app's catalog entry lists, S8) and the tenant
 * as it is, planned: the preview page and the action both run this.
 */
export async function loadGrant({ graph, user }: WizardReadContext, input: Omit<GrantInput, "justification">): Promise<GrantWizardPlan | Refusal> {
  const app = await findCatalogApp(input.appId);
  if (!app) return refuse("This app is not in the portal's catalog.");
  const { selection, unknown } = selectionFrom(input, app.permissions);
  if (unknown.length > 0) return refuse("Some permissions are not ones this app asks for.", { permissions: unknown });
  if (selection.delegated.length + selection.appRoles.length === 0) return refuse("Choose at least one permission.");
  if (input.requestId && input.entraRequestId) return refuse("Approve one request at a time.");
  const approving = await loadApprovingRequest(graph, app.appId, input);
  if (isRefusal(approving)) return approving;
  const resources = new ResourceDirectory(graph.client);
  const state = await readAppState(graph, app.appId, resources);
  const apis = [...new Set([...selection.delegated.map((d) => d.resourceAppId), ...selection.appRoles.map((r) => r.resourceAppId)])];
  const resourceMap = new Map(await Promise.all(apis.map(async (appId) => [appId, await resources.byApp(appId)] as const)));
  const publishedScopes = await readPublishedScopes(graph.client, selection.delegated.map((d) => d.resourceAppId).filter((appId) => resourceMap.get(appId)));
  return { app, plan: planGrant({ selection, state, resources: resourceMap, publishedScopes, adminWids: user.wids }), approving };
}
