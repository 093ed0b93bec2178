import "server-only";
import { writeAdminConsentRequestPolicy } from "@/lib/graph/policies";
import { StepBlockedError, type ChangeContext, type StepResult } from "../engine";
import { lockKeys } from "@/lib/consent/engine/lock-keys";
import { readWorkflowPolicy, type ConsentWorkflowPlan } from "./load";
import { CHANGED_SINCE_PREVIEW, workflowVersion } from "./plan";

const LABEL = "Admin consent workflow";

/** PUT adminConsentRequestPolicy with the planned settings, inside its lock, only while it is still the workflow previewed. */
export async function executeConsentWorkflow(context: ChangeContext, plan: ConsentWorkflowPlan): Promise<StepResult[]> {
  if (workflowVersion(plan.body) === plan.basis) return [{ label: LABEL, status: "unchanged", detail: "The workflow already has these settings. No call was made." }];
  const { client } = context.graph;
  const { result } = await context.engine.runStep(context, {
    label: LABEL,
    action: "policy.consentWorkflow.update",
    target: { type: "policy", id: "adminConsentRequestPolicy", name: LABEL },
    lock: lockKeys.policy("adminConsentRequestPolicy"),
    // Inside the lock: the policy must still be the one previewed, or another admin's change would be lost.
    before: async () => {
      const now = await readWorkflowPolicy(client);
      if (workflowVersion(now) !== plan.basis) throw new StepBlockedError(CHANGED_SINCE_PREVIEW);
      return now;
    },
    expect: { kind: "consentWorkflow", policy: plan.body },
    apply: async () => {
      if (workflowVersion(await readWorkflowPolicy(client)) === workflowVersion(plan.body)) return { value: null, changed: false, detail: "Already so." };
      await writeAdminConsentRequestPolicy(client, plan.body);
      return { value: null, changed: true, detail: plan.afterWords.join(" ") };
    },
  });
  return [result];
}
