"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { failureInWords, readPermissionGrantPoliciesAssigned } from "@/lib/consent/policies/graph";
import { auditedChange, changed, failedWithCalls } from "@/lib/consent/policies/run";
import { planUserConsent, USER_CONSENT_OPTIONS } from "@/lib/consent/policies/user-consent";
import { graphForUser } from "@/lib/graph/session";
import { userConsentCapability } from "@/lib/roles";
import { userConsentApplySchema } from "@/lib/validations/policies";

/** PATCH authorizationPolicy to one of the three user consent options, keeping every ForOwnedResource entry. */
export const applyUserConsent = authorizedAction(["admin"], userConsentApplySchema, async (input, { user, actor, request }) => {
  const capability = userConsentCapability(user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const { client, calls } = await graphForUser(user);
  let assigned: string[];
  try {
    assigned = await readPermissionGrantPoliciesAssigned(client);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the authorization policy"), calls);
  }
  const plan = planUserConsent(assigned, input.choice);
  const words = { beforeWords: plan.beforeWords, afterWords: plan.afterWords };
  if (!plan.changed) return changed("The tenant already has this setting: nothing was changed.", { outcome: "unchanged", ...words, notes: [] }, calls);
  try {
    await auditedChange(
      calls,
      {
        actor,
        context: request,
        action: "policy.userConsent.update",
        target: { type: "policy", id: "authorizationPolicy", name: "User consent settings" },
        before: { permissionGrantPoliciesAssigned: plan.before },
        justification: input.justification,
      },
      async () => {
        await client.api("/policies/authorizationPolicy").patch(plan.body);
        return { result: undefined, after: { permissionGrantPoliciesAssigned: plan.after } };
      },
    );
  } catch (error) {
    return failedWithCalls(failureInWords(error, "change the user consent setting"), calls);
  }
  revalidatePath("/admin/policies");
  const notes = plan.kept.length ? [`Kept untouched: ${plan.kept.join(", ")}.`] : [];
  return changed(`User consent is now: ${USER_CONSENT_OPTIONS[input.choice].title}.`, { outcome: "succeeded", ...words, notes }, calls);
});
