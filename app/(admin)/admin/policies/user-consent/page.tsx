import type { Metadata } from "next";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { failureInWords, readPermissionGrantPoliciesAssigned } from "@/lib/consent/policies/graph";
import { currentUserConsent, planUserConsent, USER_CONSENT_OPTIONS, userConsentInWords } from "@/lib/consent/policies/user-consent";
import { graphForUser } from "@/lib/graph/session";
import { userConsentCapability } from "@/lib/roles";
import { searchParamsObject, userConsentChoiceSchema } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { RoleNote } from "../_components/role-note";
import { ReadFailure, WizardHeader } from "../_components/wizard-header";
import { applyUserConsent } from "./actions";
import { ConsentOptions } from "./_components/consent-options";
import { EntriesDiff } from "./_components/entries-diff";

export const metadata: Metadata = { title: "User consent settings" };
const PATH = "/admin/policies/user-consent";

export default async function UserConsentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = userConsentCapability(user.wids);
  const header = (
    <WizardHeader
      title="User consent settings"
      intro="Whether users may consent to apps themselves, and for which permissions (Entra's “User consent for applications”). Resource-specific consent for teams and chats is never touched."
    />
  );
  const { client } = await graphForUser(user);
  let assigned: string[];
  try {
    assigned = await readPermissionGrantPoliciesAssigned(client);
  } catch (error) {
    return (
      <div className="space-y-6">
        {header}
        <ReadFailure message={failureInWords(error, "read the authorization policy")} />
      </div>
    );
  }
  const current = currentUserConsent(assigned);
  const chosen = params.step === "preview" ? userConsentChoiceSchema.safeParse(params) : null;

  if (chosen?.success) {
    const { choice } = chosen.data;
    const plan = planUserConsent(assigned, choice);
    const option = USER_CONSENT_OPTIONS[choice];
    const blockedReason = !capability.allowed
      ? `Not with your role: ${capability.reason}`
      : !plan.changed
        ? "This is already the tenant's setting: there is nothing to change."
        : null;
    return (
      <div className="space-y-6">
        {header}
        <ApplyPanel action={applyUserConsent} hidden={[["choice", choice]]} applyLabel="Change the user consent setting" blockedReason={blockedReason} restartHref={PATH}>
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
      </div>
    );
  }

  return (
    <div className="space-y-6">
      {header}
      <WizardSteps current="Choose" />
      <section aria-labelledby="current-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="current-heading" className="font-semibold">
          The tenant today
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" data-testid="current-policy">
          {userConsentInWords(assigned).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </section>
      <RoleNote capability={capability} />
      {chosen && !chosen.success && (
        <p role="alert" className="text-sm text-red-700">
          Choose one of the three options.
        </p>
      )}
      <form method="get" action={PATH} className="space-y-4">
        <input type="hidden" name="step" value="preview" />
        <ConsentOptions current={current.choice} disabled={!capability.allowed} />
        <button type="submit" disabled={!capability.allowed} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-60">
          Preview the change
        </button>
      </form>
    </div>
  );
}
