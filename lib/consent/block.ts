import type { GraphSession } from "@/lib/graph/client";
import { afterCreate } from "@/lib/graph/replication";
import { findServicePrincipal } from "./app-state";
import { createServicePrincipal } from "./grant";
import { auditedStep, type ChangeContext, type StepResult } from "./steps";

/**
 * Entra's "Block" on a consent request: the app gets a service principal with sign-in disabled, so
 * nobody can consent to it or sign in to it until an admin enables it.
 */
export async function blockApp(context: ChangeContext, appName: string): Promise<StepResult[]> {
  const { graph, appId } = context;
  const results: StepResult[] = [];
  let sp = await findServicePrincipal(graph.client, appId);
  if (!sp) {
    const created = await auditedStep(
      context,
      { action: "servicePrincipal.create", target: { type: "servicePrincipal", appId, name: appName }, before: null, label: `Add ${appName} to the tenant, to block it` },
      async () => {
        const value = await createServicePrincipal(graph, appId);
        return { value, after: { id: value.id }, status: "done", detail: `Service principal ${value.id} created.` };
      },
    );
    results.push(created.result);
    sp = created.value;
    if (!sp) return results;
  }
  const target = sp;
  const disabled = await auditedStep(
    context,
    { action: "servicePrincipal.disableSignIn", target: { type: "servicePrincipal", appId, id: target.id, name: appName }, before: { accountEnabled: target.accountEnabled }, label: `Disable sign-in to ${appName}` },
    async () => {
      if (!target.accountEnabled) return { value: null, after: { accountEnabled: false }, status: "unchanged", detail: "Sign-in was already disabled." };
      await afterCreate(() => disableSignIn(graph, target.id));
      return { value: null, after: { accountEnabled: false }, status: "done", detail: "Nobody can sign in to the app or consent to it now." };
    },
  );
  results.push(disabled.result);
  return results;
}

function disableSignIn(graph: GraphSession, servicePrincipalId: string): Promise<unknown> {
  return graph.client.api(`/servicePrincipals/${servicePrincipalId}`).patch({ accountEnabled: false });
}
