import "server-only";
import { isGraphStatus } from "@/lib/graph/errors";
import { createDirectorySetting, updateDirectorySetting } from "@/lib/graph/policies";
import { StepBlockedError, type ChangeContext, type StepResult } from "../engine";
import { lockKeys } from "@/lib/consent/engine/lock-keys";
import { readGroupConsentState, type GroupConsentChangePlan } from "./load";
import { GROUP_CONSENT_TEMPLATE_ID, GROUP_CONSENT_UNAVAILABLE, planGroupConsent } from "./plan";

const LABEL = "Group-owner consent";

/** PATCH (or, where only the template exists, POST) the beta group consent directory setting. */
export async function executeGroupConsent(context: ChangeContext, plan: GroupConsentChangePlan): Promise<StepResult[]> {
  if (!plan.changed) return [{ label: LABEL, status: "unchanged", detail: "The tenant already has this setting. No call was made." }];
  const { client } = context.graph;
  // Re-planned inside the lock from the setting as it is now: the PATCH sends every value, so none set meanwhile is lost.
  const planNow = async () => {
    const now = planGroupConsent(await readGroupConsentState(client), plan.choice, plan.names);
    if (now.kind === "refused") throw new StepBlockedError(now.reason);
    return now;
  };
  const { result } = await context.engine.runStep(context, {
    label: LABEL,
    action: "policy.groupConsent.update",
    target: { type: "policy", id: plan.settingId ?? GROUP_CONSENT_TEMPLATE_ID, name: "Group-owner consent (Consent Policy Settings)" },
    lock: lockKeys.policy(`settings:${GROUP_CONSENT_TEMPLATE_ID}`),
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
        if (now.method === "POST" && isGraphStatus(error, 400)) throw new StepBlockedError(GROUP_CONSENT_UNAVAILABLE);
        throw error;
      }
      return { value: null, changed: true, detail: now.afterWords };
    },
  });
  return [result];
}
