import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import type { CatalogApp } from "@/lib/catalog";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { readAppState } from "./app-state";
import { readClassifications } from "./classifications/load";
import { readWorkflowPolicy } from "./consent-workflow/load";
import { readAsUser } from "./engine/wizard";
import { recipeFor, type Recipe } from "./recipe";
import { currentUserConsent } from "./user-consent/plan";

/** The vendor's options for the app, judged against the tenant as the signed-in admin reads it today. */
export function readRecipe(user: SignedInUser, app: CatalogApp): Promise<Recipe> {
  return readAsUser(user, async (graph) => {
    // Independent reads in one round.
    const [assigned, workflow, classifications, state] = await Promise.all([
      readUserConsentPolicies(graph.client),
      readWorkflowPolicy(graph.client),
      readClassifications(graph.client),
      readAppState(graph, app.appId),
    ]);
    return recipeFor(app, {
      userConsent: currentUserConsent(assigned).choice,
      workflowEnabled: workflow.isEnabled,
      lowClassified: classifications.filter((c) => c.classification === "low").flatMap((c) => (c.permissionName ? [c.permissionName] : [])),
      alreadyGrantedTenantWide: state.tenantWide.length > 0,
    });
  });
}
