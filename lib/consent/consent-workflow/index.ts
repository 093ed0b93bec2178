import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeConsentWorkflow } from "./execute";
import { loadConsentWorkflow, type ConsentWorkflowPlan } from "./load";
import { workflowApplySchema, type WorkflowInput } from "./schema";

/** The admin consent workflow (seed 000 option 2): whether users can ask for admin consent, and who reviews. */
export const consentWorkflowWizard: Wizard<WorkflowInput, ConsentWorkflowPlan> = {
  roles: ["admin"],
  schema: workflowApplySchema,
  load: loadConsentWorkflow,
  execute: (context, plan) => executeConsentWorkflow(context, plan),
  describe: (plan) => ({
    done: plan.body.isEnabled ? "The admin consent workflow is saved: users can now request admin consent." : "The admin consent workflow is saved: users cannot request admin consent.",
    unchanged: "The workflow already has these settings: nothing was changed.",
    before: plan.beforeWords,
    after: plan.afterWords,
    notes: plan.warning ? [plan.warning] : [],
    revalidate: ["/admin/policies"],
  }),
};
