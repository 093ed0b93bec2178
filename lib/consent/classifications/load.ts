import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SignedInUser } from "@/lib/auth/guards";
import { listPermissionClassifications, readDelegatedScopesOf } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { classificationNotes, planClassifications, type Classification, type ClassificationPlan, type DelegatedScope } from "./plan";
import type { ClassificationInput } from "./schema";

/** Microsoft Graph's delegated permissions, as its service principal publishes them. */
async function readGraphDelegatedScopes(client: Client): Promise<DelegatedScope[]> {
  const { scopes } = await readDelegatedScopesOf(client, MICROSOFT_GRAPH_APP_ID);
  return scopes.flatMap((s) => (s.id && s.value ? [{ id: s.id, value: s.value, type: s.type ?? "User" }] : []));
}

/** The classifications of Microsoft Graph's delegated permissions. */
export async function readClassifications(client: Client): Promise<Classification[]> {
  return (await listPermissionClassifications(client, MICROSOFT_GRAPH_APP_ID)).map((c) => ({ id: c.id ?? "", permissionId: c.permissionId ?? "", permissionName: c.permissionName ?? null, classification: c.classification ?? "" }));
}

export type ClassificationsToday = { scopes: DelegatedScope[]; current: Classification[] };

async function readToday(client: Client): Promise<ClassificationsToday> {
  const [scopes, current] = await Promise.all([readGraphDelegatedScopes(client), readClassifications(client)]);
  return { scopes, current };
}

/**
 * The classifications as they are, planned for what was chosen. Refused when the admin's Entra role
 * cannot change them, or when Entra would refuse every permission chosen (nothing would be left to do).
 */
export async function loadClassifications({ graph, user }: WizardReadContext, input: Omit<ClassificationInput, "justification">): Promise<ClassificationPlan | Refusal> {
  const capability = classificationCapability(user.wids);
  if (!capability.allowed) return refuse(`Not with your role: ${capability.reason}`);
  const { scopes, current } = await readToday(graph.client);
  const plan = planClassifications(current, scopes, { add: input.add, remove: input.remove });
  if (!plan.changed && plan.refused.length) return refuse(classificationNotes(plan).join(" "));
  return plan;
}

/** Microsoft Graph's delegated permissions and their classifications today, for the wizard's pages and the policy hub. */
export function readClassificationsToday(user: SignedInUser): Promise<ClassificationsToday> {
  return readAsUser(user, (graph) => readToday(graph.client));
}
