import { findServicePrincipal } from "./app-state";
import { addServicePrincipal, setSwitch, type AppChangeContext } from "./app-steps";
import type { StepResult } from "./engine";

/**
 * Entra's "Block" on a consent request: the app gets a service principal with sign-in disabled, so
 * nobody can consent to it or sign in to it until an admin enables it.
 */
export async function blockApp(context: AppChangeContext, appName: string): Promise<StepResult[]> {
  const results: StepResult[] = [];
  if (!(await findServicePrincipal(context.graph.client, context.appId))) {
    const created = await addServicePrincipal(context, context.appId, `Add ${appName} to the tenant, to block it`, appName);
    results.push(created.result);
    if (!created.value) return results;
  }
  const disabled = await setSwitch(context, appName, "accountEnabled", false, `Disable sign-in to ${appName}`, "servicePrincipal.disableSignIn");
  return [...results, disabled.result];
}
