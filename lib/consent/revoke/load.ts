import "server-only";
import { findCatalogApp, type CatalogApp } from "@/lib/catalog";
import { readAppState } from "../app-state";
import { refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { planRevoke, type RevokePlan } from "./plan";
import { revokeSelectionFrom, type RevokeInput } from "./schema";

export type RevokeWizardPlan = { app: CatalogApp; plan: RevokePlan };

/** The catalog app, the choice (only well-formed values) and the tenant as it is, planned: the preview and the action both run this. */
export async function loadRevoke({ graph, user }: WizardReadContext, input: Omit<RevokeInput, "justification">): Promise<RevokeWizardPlan | Refusal> {
  const app = await findCatalogApp(input.appId);
  if (!app) return refuse("This app is not in the portal's catalog.");
  const { selection, invalid } = revokeSelectionFrom(input);
  if (invalid.length > 0) return refuse("Some of the choices are not valid.", { revoke: invalid });
  if (selection.scopes.length + selection.appRoles.length + selection.users.length === 0 && !selection.deleteServicePrincipal) {
    return refuse("Choose at least one thing to revoke.");
  }
  const state = await readAppState(graph, app.appId);
  return { app, plan: planRevoke({ selection, state, adminWids: user.wids }) };
}
