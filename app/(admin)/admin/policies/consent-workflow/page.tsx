import type { Metadata } from "next";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { previewConsentWorkflow, readConsentWorkflowToday } from "@/lib/consent/consent-workflow/load";
import { reviewerKey, workflowInWords, type WorkflowSettings } from "@/lib/consent/consent-workflow/plan";
import { directorySearchSchema, workflowSettingsSchema } from "@/lib/consent/consent-workflow/schema";
import { consentWorkflowCapability } from "@/lib/roles";
import { searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { blockedReason } from "../_components/blocked-reason";
import { TenantToday } from "../_components/choose-step";
import { PolicyWizard } from "../_components/policy-wizard";
import { readTenant } from "../_components/read-tenant";
import { RoleNote } from "../_components/role-note";
import { ReadFailure } from "../_components/wizard-header";
import { applyConsentWorkflow } from "./actions";
import { WorkflowForm } from "./_components/workflow-form";

const WIZARD = {
  title: "Admin consent workflow",
  intro: "Let users ask for admin consent from the sign-in screen (“Approval required”) and choose who reviews their requests. Reviewers are stored as Microsoft Graph reviewer queries.",
};
export const metadata: Metadata = { title: WIZARD.title };
const PATH = "/admin/policies/consent-workflow";

export default async function ConsentWorkflowPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = consentWorkflowCapability(user.wids);
  const step = params.step === "preview" || params.step === "choose" ? params.step : null;
  const parsed = step ? workflowSettingsSchema.safeParse(params) : null;
  const search = step ? directorySearchSchema.safeParse(typeof params.q === "string" ? params.q : "") : null;
  const chosen: WorkflowSettings | null = parsed?.success ? { ...parsed.data, reviewers: parsed.data.reviewer } : null;

  if (step === "preview" && chosen) {
    const read = await readTenant(() => previewConsentWorkflow(user, chosen), "read the admin consent workflow");
    if (!read.ok) {
      return (
        <PolicyWizard {...WIZARD}>
          <ReadFailure message={read.message} />
        </PolicyWizard>
      );
    }
    const plan = read.value;
    const hidden: [string, string][] = [
      ["isEnabled", String(chosen.isEnabled)],
      ["notifyReviewers", String(chosen.notifyReviewers)],
      ["remindersEnabled", String(chosen.remindersEnabled)],
      ["requestDurationInDays", String(chosen.requestDurationInDays)],
      ["basis", plan.basis],
      ...chosen.reviewers.map((reviewer): [string, string] => ["reviewer", reviewerKey(reviewer)]),
    ];
    return (
      <PolicyWizard {...WIZARD}>
        <ApplyPanel
          action={applyConsentWorkflow}
          hidden={hidden}
          applyLabel="Save the admin consent workflow"
          blockedReason={blockedReason(capability, { changed: plan.changed, refusal: plan.entraRefuses }, "These are already the workflow's settings: there is nothing to change.")}
          restartHref={PATH}
        >
          {plan.warning && (
            <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="approver-warning">
              {plan.warning}
            </p>
          )}
          <BeforeAfter before={plan.beforeWords} after={plan.afterWords} />
          {plan.changes.length > 0 && (
            <table className="w-full text-left text-sm" data-testid="changes">
              <thead className="text-slate-500">
                <tr>
                  <th className="py-1 pr-3 font-medium">Setting</th>
                  <th className="py-1 pr-3 font-medium">Now</th>
                  <th className="py-1 font-medium">After</th>
                </tr>
              </thead>
              <tbody>
                {plan.changes.map((change) => (
                  <tr key={change.label} className="border-t border-slate-100 align-top">
                    <td className="py-1 pr-3">{change.label}</td>
                    <td className="py-1 pr-3 text-slate-600">{change.before}</td>
                    <td className="py-1 font-medium">{change.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {plan.keptQueries.length > 0 && <p className="text-sm text-slate-600">Kept as they are (made outside the portal): {plan.keptQueries.join(", ")}</p>}
        </ApplyPanel>
      </PolicyWizard>
    );
  }

  const read = await readTenant(() => readConsentWorkflowToday(user, { chosen, search: search?.success ? search.data : "" }), "read the admin consent workflow");
  if (!read.ok) {
    return (
      <PolicyWizard {...WIZARD}>
        <ReadFailure message={read.message} />
      </PolicyWizard>
    );
  }
  const { current, settings, names, hits } = read.value;

  const errors = [
    ...(parsed && !parsed.success ? parsed.error.issues.map((issue) => issue.message) : []),
    ...(search && !search.success ? search.error.issues.map((issue) => issue.message) : []),
  ];
  return (
    <PolicyWizard {...WIZARD}>
      <WizardSteps current="Choose" />
      <TenantToday lines={workflowInWords(current, names)} />
      <RoleNote capability={capability} />
      <WorkflowForm action={PATH} settings={settings} names={names} search={search?.success ? search.data : ""} hits={hits} disabled={!capability.allowed} errors={errors} />
    </PolicyWizard>
  );
}
