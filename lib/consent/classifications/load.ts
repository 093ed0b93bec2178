import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SignedInUser } from "@/lib/auth/guards";
import { listPermissionClassifications, readDelegatedScopesOf } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { listCatalog } from "@/lib/catalog";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { findServicePrincipalByAppId } from "@/lib/graph/service-principals";
import {
  appsAskingFor,
  classificationNotes,
  classificationReach,
  HIGH_RISK_ACK,
  highRiskAckRefusal,
  planClassifications,
  type Classification,
  type ClassificationPlan,
  type ClassificationReach,
  type DelegatedScope,
  type KnownApp,
} from "./plan";
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
  if (plan.highRisk.length > 0 && input.ack !== HIGH_RISK_ACK) return refuse(highRiskAckRefusal(plan), { ack: [highRiskAckRefusal(plan)] });
  return plan;
}

export type ClassificationImpact = { reach: ClassificationReach; apps: KnownApp[] };

/** What classifying `permissions` would open up: the tenant's user consent setting, and the known apps that ask for them (in the tenant or not). */
export function readClassificationImpact(user: SignedInUser, permissions: readonly string[]): Promise<ClassificationImpact> {
  return readAsUser(user, async (graph) => {
    const [policies, catalog] = await Promise.all([readUserConsentPolicies(graph.client), listCatalog()]);
    const asking = appsAskingFor(permissions, catalog, new Set());
    const present = await Promise.all(asking.map(async (app) => ((await findServicePrincipalByAppId(graph.client, app.appId)) ? app.appId.toLowerCase() : null)));
    return { reach: classificationReach(policies), apps: appsAskingFor(permissions, catalog, new Set(present.filter((id): id is string => id !== null))) };
  });
}

/** Microsoft Graph's delegated permissions and their classifications today, for the wizard's pages and the policy hub. */
export function readClassificationsToday(user: SignedInUser): Promise<ClassificationsToday> {
  return readAsUser(user, (graph) => readToday(graph.client));
}
