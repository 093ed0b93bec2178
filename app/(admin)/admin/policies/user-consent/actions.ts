"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { failureInWords } from "@/lib/consent/policies/graph";
import { failedWithCalls, policyLock, runPolicySteps } from "@/lib/consent/policies/run";
import { planUserConsent, USER_CONSENT_OPTIONS } from "@/lib/consent/policies/user-consent";
import { readUserConsentPolicies, writeUserConsentPolicies } from "@/lib/graph/policies";
import { graphForUser } from "@/lib/graph/session";
import { userConsentCapability } from "@/lib/roles";
import { userConsentApplySchema } from "@/lib/validations/policies";

/** PATCH authorizationPolicy to one of the three user consent options, keeping every ForOwnedResource entry. */
export const applyUserConsent = authorizedAction(["admin"], userConsentApplySchema, async (input, context) => {
  const capability = userConsentCapability(context.user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const graph = await graphForUser(context.user);
  let assigned: string[];
  try {
    assigned = await readUserConsentPolicies(graph.client);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the authorization policy"), graph.calls);
  }
  const plan = planUserConsent(assigned, input.choice);
  const result = await runPolicySteps(
    context,
    graph,
    input.justification,
    [
      {
        label: "User consent settings",
        action: "policy.userConsent.update",
        target: { type: "policy", id: "authorizationPolicy", name: "User consent settings" },
        lock: policyLock("authorizationPolicy"),
        before: async () => ({ permissionGrantPoliciesAssigned: await readUserConsentPolicies(graph.client) }),
        // Re-planned inside the lock from the list as it is now: another admin's owned-resource entries are kept.
        expect: (before) => ({ kind: "userConsentPolicies", assigned: planUserConsent((before as { permissionGrantPoliciesAssigned: string[] }).permissionGrantPoliciesAssigned, input.choice).after }),
        apply: async () => {
          const now = planUserConsent(await readUserConsentPolicies(graph.client), input.choice);
          if (!now.changed) return { value: null, changed: false, detail: "Already so." };
          await writeUserConsentPolicies(graph.client, now.after);
          return { value: null, changed: true, detail: "Saved." };
        },
      },
    ],
    {
      beforeWords: plan.beforeWords,
      afterWords: plan.afterWords,
      notes: plan.kept.length ? [`Kept untouched: ${plan.kept.join(", ")}.`] : [],
      done: `User consent is now: ${USER_CONSENT_OPTIONS[input.choice].title}.`,
      unchanged: "The tenant already has this setting: nothing was changed.",
      what: "change the user consent setting",
    },
  );
  revalidatePath("/admin/policies");
  return result;
});
