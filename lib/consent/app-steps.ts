import "server-only";
import { isGraphStatus } from "@/lib/graph/errors";
import type { GraphSession } from "@/lib/graph/client";
import { afterCreate } from "@/lib/graph/replication";
import { createServicePrincipal as postServicePrincipal, readServicePrincipalId, updateServicePrincipal } from "@/lib/graph/service-principals";
import { patchFor } from "./access/plan";
import { findServicePrincipal, type ServicePrincipalState } from "./app-state";
import type { ChangeContext } from "./engine";
import { lockKeys } from "./engine/lock-keys";

/** Steps on one app's presence in the tenant, shared by the app wizards (grant, revoke, access) and Entra's "Block". */

export type AppChangeContext = ChangeContext & { appId: string };


export type Switch = "appRoleAssignmentRequired" | "accountEnabled" | "tags";

/** The audited "add the app to the tenant" step, shared by grant and block. */
export async function addServicePrincipal(context: AppChangeContext, appId: string, label: string, appName: string) {
  return context.engine.runStep(context, {
    label,
    action: "servicePrincipal.create",
    target: { type: "servicePrincipal", appId, name: appName },
    lock: lockKeys.servicePrincipal(appId),
    before: async () => null,
    expect: { kind: "servicePrincipal", appId, present: true },
    apply: async () => {
      const existing = await findServicePrincipal(context.graph.client, appId);
      if (existing) return { value: existing, changed: false, detail: "Another admin added the app a moment ago; using theirs." };
      const sp = await createServicePrincipal(context.graph, appId);
      return { value: sp, changed: true, detail: `Service principal ${sp.id} created.` };
    },
  });
}

/** POST /servicePrincipals; 409 means another admin was faster: use theirs. Then wait until it is visible (S12). */
async function createServicePrincipal(graph: GraphSession, appId: string): Promise<ServicePrincipalState> {
  let id: string;
  try {
    id = (await postServicePrincipal(graph.client, appId)).id;
  } catch (error) {
    if (!isGraphStatus(error, 409)) throw error;
    const existing = await findServicePrincipal(graph.client, appId);
    if (!existing) throw error;
    return existing;
  }
  await afterCreate(() => readServicePrincipalId(graph.client, id));
  return (await findServicePrincipal(graph.client, appId)) ?? { id, appId, displayName: appId, accountEnabled: true, appRoleAssignmentRequired: false, tags: [], publisherName: null, verifiedPublisher: null };
}

/** One service-principal switch as an audited, locked, read-back step (also Entra's "Block": sign-in off). */
export function setSwitch(context: AppChangeContext, appName: string, key: Switch, wanted: boolean, label: string, action: string) {
  const { graph, appId } = context;
  const now = async () => {
    const current = await findServicePrincipal(graph.client, appId);
    if (!current) throw new Error("The app is no longer in the tenant.");
    return current;
  };
  const valueOf = (sp: ServicePrincipalState) => (key === "tags" ? sp.tags.includes("HideApp") : sp[key]);
  const expectKey = key === "tags" ? "hidden" : key;
  return context.engine.runStep(context, {
    label,
    action,
    target: { type: "servicePrincipal", appId, id: undefined, name: appName },
    lock: lockKeys.servicePrincipal(appId),
    before: async () => ({ [expectKey]: valueOf(await now()) }),
    expect: { kind: "servicePrincipal", appId, present: true, [expectKey]: wanted },
    apply: async () => {
      const current = await now();
      const body = patchFor(current, key, wanted);
      if (!body) return { value: null, changed: false, detail: "Already so; nothing changed." };
      await updateServicePrincipal(graph.client, current.id, body);
      return { value: null, changed: true, detail: describeSwitch(key, wanted) };
    },
  });
}

function describeSwitch(key: Switch, wanted: boolean): string {
  if (key === "appRoleAssignmentRequired") return wanted ? "Only assigned users and groups can sign in now." : "Anyone in the tenant can sign in now.";
  if (key === "accountEnabled") return wanted ? "Users can sign in again." : "Nobody can sign in to the app now.";
  return wanted ? "Hidden from My Apps and Office launchers (sign-in still works)." : "Shown in My Apps again.";
}

