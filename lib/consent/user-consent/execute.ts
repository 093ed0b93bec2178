import "server-only";
import { readUserConsentPolicies, writeUserConsentPolicies } from "@/lib/graph/policies";
import type { ChangeContext, StepResult } from "../engine";
import { lockKeys } from "../engine/lock-keys";
import { planUserConsent, type UserConsentPlan } from "./plan";
import type { UserConsentInput } from "./schema";

/**
 * PATCH authorizationPolicy to the chosen option. The list is replaced whole, so it is re-planned inside
 * the policy's lock from the list as it is then: entries another admin added meanwhile are kept.
 */
export async function executeUserConsent(context: ChangeContext, plan: UserConsentPlan, input: UserConsentInput): Promise<StepResult[]> {
  if (!plan.changed) return [{ label: "User consent settings", status: "unchanged", detail: "The tenant already has this setting. No call was made." }];
  const { client } = context.graph;
  const { result } = await context.engine.runStep(context, {
    label: "User consent settings",
    action: "policy.userConsent.update",
    target: { type: "policy", id: "authorizationPolicy", name: "User consent settings" },
    lock: lockKeys.policy("authorizationPolicy"),
    before: async () => ({ permissionGrantPoliciesAssigned: await readUserConsentPolicies(client) }),
    expect: (before) => ({ kind: "userConsentPolicies", assigned: planUserConsent((before as { permissionGrantPoliciesAssigned: string[] }).permissionGrantPoliciesAssigned, input.choice).after }),
    apply: async () => {
      const now = planUserConsent(await readUserConsentPolicies(client), input.choice);
      if (!now.changed) return { value: null, changed: false, detail: "Already so; nothing changed." };
      await writeUserConsentPolicies(client, now.after);
      return { value: null, changed: true, detail: now.afterWords.join(" ") };
    },
  });
  return [result];
}
