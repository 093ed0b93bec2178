"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused } from "@/lib/actions/result";
import { graphAppPermissionApprovers, NO_GRAPH_APPROVER_WARNING, planWorkflow, type WorkflowPolicy } from "@/lib/consent/policies/consent-workflow";
import { approverFacts, failureInWords, readWorkflowPolicy, reviewerNames, reviewersOf } from "@/lib/consent/policies/graph";
import { auditedChange, changed, failedWithCalls } from "@/lib/consent/policies/run";
import { graphForUser } from "@/lib/graph/session";
import { consentWorkflowCapability } from "@/lib/roles";
import { workflowApplySchema } from "@/lib/validations/policies";

/** PUT /policies/adminConsentRequestPolicy with the chosen settings and reviewer queries. */
export const applyConsentWorkflow = authorizedAction(["admin"], workflowApplySchema, async (input, { user, actor, request }) => {
  const capability = consentWorkflowCapability(user.wids);
  if (!capability.allowed) return refused(`Not with your role: ${capability.reason} Nothing was changed.`);
  const { client, calls } = await graphForUser(user);
  let current: WorkflowPolicy;
  let names: Map<string, string>;
  try {
    current = await readWorkflowPolicy(client);
    names = await reviewerNames(client, [...reviewersOf(current), ...input.reviewer]);
  } catch (error) {
    return failedWithCalls(failureInWords(error, "read the admin consent workflow"), calls);
  }
  const { justification, reviewer, ...settings } = input;
  const plan = planWorkflow(current, { ...settings, reviewers: reviewer }, names);
  if (plan.refusal) return failedWithCalls(`${plan.refusal} Nothing was changed.`, calls);
  const words = { beforeWords: plan.beforeWords, afterWords: plan.afterWords };
  if (!plan.changed) return changed("The workflow already has these settings: nothing was changed.", { outcome: "unchanged", ...words, notes: [] }, calls);
  let notes: string[] = [];
  try {
    if (plan.body.isEnabled && graphAppPermissionApprovers(reviewer, await approverFacts(client, reviewer)).length === 0) notes = [NO_GRAPH_APPROVER_WARNING];
    await auditedChange(
      calls,
      {
        actor,
        context: request,
        action: "policy.consentWorkflow.update",
        target: { type: "policy", id: "adminConsentRequestPolicy", name: "Admin consent workflow" },
        before: current,
        justification,
      },
      async () => {
        await client.api("/policies/adminConsentRequestPolicy").put(plan.body);
        return { result: undefined, after: plan.body };
      },
    );
  } catch (error) {
    return failedWithCalls(failureInWords(error, "change the admin consent workflow"), calls);
  }
  revalidatePath("/admin/policies");
  return changed(
    plan.body.isEnabled ? "The admin consent workflow is saved: users can now request admin consent." : "The admin consent workflow is saved: users cannot request admin consent.",
    { outcome: "succeeded", ...words, notes },
    calls,
  );
});
