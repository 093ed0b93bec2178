"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { failureInWords, groupNames, readGroupConsentState } from "@/lib/consent/policies/graph";
import { GROUP_CONSENT_TEMPLATE_ID, GROUP_CONSENT_UNAVAILABLE, planGroupConsent, type GroupConsentState } from "@/lib/consent/policies/group-consent";
import { auditedChange, changed, failedWithCalls } from "@/lib/consent/policies/run";
import { isGraphStatus } from "@/lib/graph/errors";
import { graphForUser } from "@/lib/graph/session";
import { groupConsentCapability } from "@/lib/roles";
import { groupConsentApplySchema } from "@/lib/validations/policies";

/** PATCH (or, where only the template exists, POST) the beta group consent directory setting. */
export const applyGroupConsent = authorizedAction(["admin"], groupConsentApplySchema, async (input, { user, actor, request }) => {
  const capability = groupConsentCapability(user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const { client, calls } = await graphForUser(user);
  let state: GroupConsentState;
  let names: Map<string, string>;
  try {
    state = await readGroupConsentState(client);
    names = await groupNames(client, [input.groupId, state.kind === "unavailable" ? null : state.current.groupId]);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the group consent setting"), calls);
  }
  const plan = planGroupConsent(state, { mode: input.mode, groupId: input.groupId }, names);
  if (plan.kind === "refused") return failedWithCalls(`${plan.reason} Nothing was changed.`, calls);
  const words = { beforeWords: [plan.beforeWords], afterWords: [plan.afterWords] };
  if (!plan.changed) return changed("The tenant already has this setting: nothing was changed.", { outcome: "unchanged", ...words, notes: [] }, calls);
  try {
    await auditedChange(
      calls,
      {
        actor,
        context: request,
        action: "policy.groupConsent.update",
        target: { type: "policy", id: plan.settingId ?? GROUP_CONSENT_TEMPLATE_ID, name: "Group-owner consent (Consent Policy Settings)" },
        before: state.kind === "unavailable" ? null : { values: state.values },
        justification: input.justification,
      },
      async () => {
        if (plan.method === "PATCH") await client.api(`/settings/${plan.settingId}`).version("beta").patch({ values: plan.values });
        else await client.api("/settings").version("beta").post({ templateId: GROUP_CONSENT_TEMPLATE_ID, values: plan.values });
        return { result: undefined, after: { values: plan.values } };
      },
    );
  } catch (error) {
    // Creating the setting is where a newer tenant says it has no such template.
    if (plan.method === "POST" && isGraphStatus(error, 400)) return failedWithCalls(`${GROUP_CONSENT_UNAVAILABLE} Nothing was changed.`, calls);
    return failedWithCalls(failureInWords(error, "change group-owner consent"), calls);
  }
  revalidatePath("/admin/policies");
  return changed(`Group-owner consent is saved. ${plan.afterWords}`, { outcome: "succeeded", ...words, notes: [] }, calls);
});
