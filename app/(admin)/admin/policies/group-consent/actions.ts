"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { failureInWords, groupNames, readGroupConsentState } from "@/lib/consent/policies/graph";
import { GROUP_CONSENT_TEMPLATE_ID, GROUP_CONSENT_UNAVAILABLE, planGroupConsent, type GroupConsentState } from "@/lib/consent/policies/group-consent";
import { failedWithCalls, policyLock, runPolicySteps } from "@/lib/consent/policies/run";
import { createDirectorySetting, updateDirectorySetting } from "@/lib/graph/policies";
import { isGraphStatus } from "@/lib/graph/errors";
import { StepBlockedError } from "@/lib/consent/engine";
import { graphForUser } from "@/lib/graph/session";
import { groupConsentCapability } from "@/lib/roles";
import { groupConsentApplySchema } from "@/lib/validations/policies";

/** PATCH (or, where only the template exists, POST) the beta group consent directory setting. */
export const applyGroupConsent = authorizedAction(["admin"], groupConsentApplySchema, async (input, context) => {
  const capability = groupConsentCapability(context.user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const graph = await graphForUser(context.user);
  const { client, calls } = graph;
  let state: GroupConsentState;
  let names: Map<string, string>;
  try {
    state = await readGroupConsentState(client);
    names = await groupNames(client, [input.groupId, state.kind === "unavailable" ? null : state.current.groupId]);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the group consent setting"), calls);
  }
  const choice = { mode: input.mode, groupId: input.groupId };
  const plan = planGroupConsent(state, choice, names);
  if (plan.kind === "refused") return failedWithCalls(`${plan.reason} Nothing was changed.`, calls);
  // Re-planned inside the lock from the setting as it is now: the PATCH sends every value, so none set meanwhile is lost.
  const planNow = async () => {
    const now = planGroupConsent(await readGroupConsentState(client), choice, names);
    if (now.kind === "refused") throw new StepBlockedError(`${now.reason} Nothing was changed.`);
    return now;
  };
  const result = await runPolicySteps(
    context,
    graph,
    input.justification,
    [
      {
        label: "Group-owner consent",
        action: "policy.groupConsent.update",
        target: { type: "policy", id: plan.settingId ?? GROUP_CONSENT_TEMPLATE_ID, name: "Group-owner consent (Consent Policy Settings)" },
        lock: policyLock(`settings:${GROUP_CONSENT_TEMPLATE_ID}`),
        before: async () => {
          const now = await readGroupConsentState(client);
          return now.kind === "unavailable" ? null : { values: now.values };
        },
        expect: { kind: "directorySetting", templateId: GROUP_CONSENT_TEMPLATE_ID, values: plan.values.filter((v) => ["EnableGroupSpecificConsent", "ConstrainGroupSpecificConsentToMembersOfGroupId"].includes(v.name)) },
        apply: async () => {
          const now = await planNow();
          if (!now.changed) return { value: null, changed: false, detail: "Already so." };
          try {
            if (now.method === "PATCH" && now.settingId) await updateDirectorySetting(client, now.settingId, now.values);
            else await createDirectorySetting(client, GROUP_CONSENT_TEMPLATE_ID, now.values);
          } catch (error) {
            // Creating the setting is where a newer tenant says it has no such template.
            if (now.method === "POST" && isGraphStatus(error, 400)) throw new StepBlockedError(`${GROUP_CONSENT_UNAVAILABLE} Nothing was changed.`);
            throw error;
          }
          return { value: null, changed: true, detail: "Saved." };
        },
      },
    ],
    {
      beforeWords: [plan.beforeWords],
      afterWords: [plan.afterWords],
      notes: [],
      done: `Group-owner consent is saved. ${plan.afterWords}`,
      unchanged: "The tenant already has this setting: nothing was changed.",
      what: "change group-owner consent",
    },
  );
  revalidatePath("/admin/policies");
  return result;
});
