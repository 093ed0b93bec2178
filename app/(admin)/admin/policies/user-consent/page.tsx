import type { Metadata } from "next";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { readUserConsentToday } from "@/lib/consent/user-consent/load";
import { currentUserConsent, planUserConsent, USER_CONSENT_OPTIONS, userConsentInWords } from "@/lib/consent/user-consent/plan";
import { userConsentCapability } from "@/lib/roles";
import { userConsentChoiceSchema } from "@/lib/consent/user-consent/schema";
import { searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { blockedReason } from "../_components/blocked-reason";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { userConsentLabel } from "@/lib/consent/confirm-labels";
import { PreviewForm, TenantToday } from "../_components/choose-step";
import { PolicyWizard } from "../_components/policy-wizard";
import { readTenant } from "../_components/read-tenant";
import { RoleNote } from "../_components/role-note";
import { ReadFailure } from "../_components/wizard-header";
import { applyUserConsent } from "./actions";
import { ConsentOptions } from "./_components/consent-options";
import { EntriesDiff } from "./_components/entries-diff";

const WIZARD = {
  title: "User consent settings",
  intro: "Whether users may consent to apps themselves, and for which permissions (Entra's “User consent for applications”). Resource-specific consent for teams and chats is never touched.",
};
export const metadata: Metadata = { title: WIZARD.title };
const PATH = "/admin/policies/user-consent";

export default async function UserConsentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = userConsentCapability(user.wids);
  const read = await readTenant(() => readUserConsentToday(user), "read the authorization policy");
  if (!read.ok) {
    return (
      <PolicyWizard {...WIZARD}>
        <ReadFailure message={read.message} />
      </PolicyWizard>
    );
  }
  const assigned = read.value;
  const current = currentUserConsent(assigned);
  const chosen = params.step === "preview" ? userConsentChoiceSchema.safeParse(params) : null;

  if (chosen?.success) {
    const { choice } = chosen.data;
    const plan = planUserConsent(assigned, choice);
    const option = USER_CONSENT_OPTIONS[choice];
    return (
      <PolicyWizard {...WIZARD}>
        <ApplyPanel action={applyUserConsent} hidden={[["choice", choice]]} applyLabel={userConsentLabel(option.title)} blockedReason={blockedReason(capability, plan)} restartHref={PATH}>
          <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4" aria-label="Your choice">
            <h2 className="font-semibold">{option.title}</h2>
            <p className="text-sm text-slate-700">{option.summary}</p>
            <p className="text-sm text-slate-700">
              <span className="font-medium">What changes for users:</span> {option.forUsers}
            </p>
            <p className="text-sm text-slate-700">
              <span className="font-medium">Trade-off:</span> {option.tradeOff}
            </p>
          </section>
          <BeforeAfter before={plan.beforeWords} after={plan.afterWords} />
          <EntriesDiff plan={plan} />
        </ApplyPanel>
      </PolicyWizard>
    );
  }

  return (
    <PolicyWizard {...WIZARD}>
      <WizardSteps current="Choose" />
      <TenantToday lines={userConsentInWords(assigned)} />
      <RoleNote capability={capability} />
      {chosen && !chosen.success && <ChooseErrors>Choose one of the four options.</ChooseErrors>}
      <PreviewForm action={PATH} disabled={!capability.allowed}>
        <ConsentOptions current={current.choice} disabled={!capability.allowed} />
      </PreviewForm>
    </PolicyWizard>
  );
}
