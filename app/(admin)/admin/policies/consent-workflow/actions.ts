"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { StepBlockedError } from "@/lib/consent/engine";
import { graphAppPermissionApprovers, NO_GRAPH_APPROVER_WARNING, planWorkflow, workflowVersion, type WorkflowPolicy } from "@/lib/consent/policies/consent-workflow";
import { approverFacts, failureInWords, readWorkflowPolicy, reviewerNames, reviewersOf } from "@/lib/consent/policies/graph";
import { failedWithCalls, policyLock, runPolicySteps } from "@/lib/consent/policies/run";
import { writeAdminConsentRequestPolicy } from "@/lib/graph/policies";
import { graphForUser } from "@/lib/graph/session";
import { consentWorkflowCapability } from "@/lib/roles";
import { workflowApplySchema } from "@/lib/validations/policies";

const CHANGED_SINCE_PREVIEW = "Another admin changed the admin consent workflow after your preview, so saving yours would overwrite their change unseen. Nothing was changed: open the wizard again to see the current settings.";

/** PUT /policies/adminConsentRequestPolicy with the chosen settings and reviewer queries, unless it changed since the preview. */
export const applyConsentWorkflow = authorizedAction(["admin"], workflowApplySchema, async (input, context) => {
  const capability = consentWorkflowCapability(context.user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const graph = await graphForUser(context.user);
  const { client, calls } = graph;
  let current: WorkflowPolicy;
  let names: Map<string, string>;
  try {
    current = await readWorkflowPolicy(client);
    names = await reviewerNames(client, [...reviewersOf(current), ...input.reviewer]);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the admin consent workflow"), calls);
  }
  const { justification, reviewer, basis, ...settings } = input;
  if (workflowVersion(current) !== basis) return failedWithCalls(CHANGED_SINCE_PREVIEW, calls);
  const plan = planWorkflow(current, { ...settings, reviewers: reviewer }, names);
  if (plan.refusal) return failedWithCalls(`${plan.refusal} Nothing was changed.`, calls);
  let notes: string[] = [];
  try {
    if (plan.changed && plan.body.isEnabled && graphAppPermissionApprovers(reviewer, await approverFacts(client, reviewer)).length === 0) notes = [NO_GRAPH_APPROVER_WARNING];
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read who can approve"), calls);
  }
  const result = await runPolicySteps(
    context,
    graph,
    justification,
    [
      {
        label: "Admin consent workflow",
        action: "policy.consentWorkflow.update",
        target: { type: "policy", id: "adminConsentRequestPolicy", name: "Admin consent workflow" },
        lock: policyLock("adminConsentRequestPolicy"),
        // Inside the lock: the policy must still be the one previewed, or another admin's change would be lost.
        before: async () => {
          const now = await readWorkflowPolicy(client);
          if (workflowVersion(now) !== basis) throw new StepBlockedError(CHANGED_SINCE_PREVIEW);
          return now;
        },
        expect: { kind: "consentWorkflow", policy: plan.body },
        apply: async () => {
          if (workflowVersion(await readWorkflowPolicy(client)) === workflowVersion(plan.body)) return { value: null, changed: false, detail: "Already so." };
          await writeAdminConsentRequestPolicy(client, plan.body);
          return { value: null, changed: true, detail: "Saved." };
        },
      },
    ],
    {
      beforeWords: plan.beforeWords,
      afterWords: plan.afterWords,
      notes,
      done: plan.body.isEnabled ? "The admin consent workflow is saved: users can now request admin consent." : "The admin consent workflow is saved: users cannot request admin consent.",
      unchanged: "The workflow already has these settings: nothing was changed.",
      what: "change the admin consent workflow",
    },
  );
  revalidatePath("/admin/policies");
  return result;
});
