import "server-only";
import { readRiskyAppUserConsent as readRiskyAppUserConsentOf, readUserConsentPolicies } from "@/lib/graph/policies";
import { userConsentCapability } from "@/lib/roles";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAsUser, refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { planUserConsent, type UserConsentPlan } from "./plan";
import type { UserConsentInput } from "./schema";

/** The authorization policy as it is, planned for the choice; refused when the admin's Entra role cannot change it. */
export async function loadUserConsent({ graph, user }: WizardReadContext, input: Omit<UserConsentInput, "justification">): Promise<UserConsentPlan | Refusal> {
  const capability = userConsentCapability(user.wids);
  if (!capability.allowed) return refuse(`Not with your role: ${capability.reason}`);
  return planUserConsent(await readUserConsentPolicies(graph.client), input.choice);
}

/** The permission grant policies assigned to users today, for the wizard's first step. */
export function readUserConsentToday(user: SignedInUser): Promise<string[]> {
  return readAsUser(user, (graph) => readUserConsentPolicies(graph.client));
}

/**
 * Risk-based step-up consent, beta authorizationPolicy.allowUserConsentForRiskyApps: null when the
 * tenant never set it (Entra then treats it as false).
 */
export function readRiskyAppUserConsent(user: SignedInUser): Promise<boolean | null> {
  return readAsUser(user, (graph) => readRiskyAppUserConsentOf(graph.client));
}
