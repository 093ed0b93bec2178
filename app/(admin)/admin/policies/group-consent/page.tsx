import type { Metadata } from "next";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { readGroupConsentToday } from "@/lib/consent/group-consent/load";
import Link from "next/link";
import { GROUP_CONSENT_RETIRING, GROUP_CONSENT_SUCCESSOR, GROUP_CONSENT_UNAVAILABLE, groupConsentInWords, planGroupConsent } from "@/lib/consent/group-consent/plan";
import { groupConsentChoiceSchema } from "@/lib/consent/group-consent/schema";
import { groupConsentCapability } from "@/lib/roles";
import { searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { blockedReason } from "../_components/blocked-reason";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { PreviewForm, TenantToday } from "../_components/choose-step";
import { PolicyWizard } from "../_components/policy-wizard";
import { readTenant } from "../_components/read-tenant";
import { RoleNote } from "../_components/role-note";
import { ReadFailure } from "../_components/wizard-header";
import { applyGroupConsent } from "./actions";
import { GroupConsentOptions } from "./_components/group-consent-options";

const WIZARD = {
  title: "Group-owner consent",
  intro: "Whether owners of Microsoft 365 groups and teams may consent to apps accessing their group's data (the beta directory setting “Consent Policy Settings”).",
};
export const metadata: Metadata = { title: WIZARD.title };
const PATH = "/admin/policies/group-consent";

export default async function GroupConsentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = groupConsentCapability(user.wids);
  const parsed = params.step === "preview" ? groupConsentChoiceSchema.safeParse(params) : null;
  const read = await readTenant(
    () => readGroupConsentToday(user, { chosenGroupId: parsed?.success ? parsed.data.groupId : null, listGroups: !parsed?.success }),
    "read the group consent setting",
  );
  if (!read.ok) {
    return (
      <PolicyWizard {...WIZARD}>
        <ReadFailure message={read.message} />
      </PolicyWizard>
    );
  }
  const { state, names, groups } = read.value;

  if (state.kind === "unavailable") {
    return (
      <PolicyWizard {...WIZARD}>
        <div className="space-y-2 rounded border border-slate-300 bg-slate-50 p-4" data-testid="group-consent-unavailable">
          <p>{GROUP_CONSENT_UNAVAILABLE}</p>
          <p data-testid="group-consent-successor">{GROUP_CONSENT_SUCCESSOR}</p>
          <p>
            <Link className="underline" href="/admin/policies/user-consent">
              See the user consent setting
            </Link>
          </p>
        </div>
      </PolicyWizard>
    );
  }

  if (parsed?.success) {
    const plan = planGroupConsent(state, parsed.data, names);
    if (plan.kind === "change") {
      const hidden: [string, string][] = [["mode", parsed.data.mode], ["groupId", parsed.data.groupId ?? ""]];
      return (
        <PolicyWizard {...WIZARD}>
          <ApplyPanel action={applyGroupConsent} hidden={hidden} applyLabel="Change group-owner consent" blockedReason={blockedReason(capability, plan)} restartHref={PATH}>
            <BeforeAfter before={[plan.beforeWords]} after={[plan.afterWords]} />
            {plan.method === "POST" && <p className="text-sm text-slate-600">The tenant has the template but no setting made from it yet: this creates it, with Entra&apos;s defaults for every other value.</p>}
          </ApplyPanel>
        </PolicyWizard>
      );
    }
  }

  return (
    <PolicyWizard {...WIZARD}>
      <WizardSteps current="Choose" />
      <p className="text-sm text-slate-600" data-testid="group-consent-retiring">
        {GROUP_CONSENT_RETIRING}
      </p>
      <TenantToday>
        {groupConsentInWords(state.current, names)}
        {state.kind === "template-only" && " (No setting object exists yet, so Entra's default applies.)"}
      </TenantToday>
      <RoleNote capability={capability} />
      {parsed && !parsed.success && <ChooseErrors messages={parsed.error.issues.map((issue) => issue.message)} />}
      <PreviewForm action={PATH} disabled={!capability.allowed}>
        <GroupConsentOptions current={state.current} groups={groups} disabled={!capability.allowed} />
      </PreviewForm>
    </PolicyWizard>
  );
}
