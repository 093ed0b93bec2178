import type { Metadata } from "next";
import Link from "next/link";
import { RiskBadge } from "@/components/wizard/risk-badge";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { readClassificationImpact, readClassificationsToday } from "@/lib/consent/classifications/load";
import { classifiableScopes, classificationsInWords, classifiedNames, OKTA_OFFICE365_MAIL_SET, planClassifications } from "@/lib/consent/classifications/plan";
import { classificationChangeSchema } from "@/lib/consent/classifications/schema";
import { describePermission, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { blockedReason } from "../_components/blocked-reason";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { classificationsLabel } from "@/lib/consent/confirm-labels";
import { PreviewForm, TenantToday } from "../_components/choose-step";
import { PolicyWizard } from "../_components/policy-wizard";
import { readTenant } from "../_components/read-tenant";
import { RoleNote } from "../_components/role-note";
import { ReadFailure } from "../_components/wizard-header";
import { applyClassifications } from "./actions";
import { HighRiskAck, HighRiskWarning } from "./_components/high-risk-warning";
import { PlanTable } from "./_components/plan-table";

const WIZARD = {
  title: "Permission classifications",
  intro: "Microsoft Graph delegated permissions classified as low impact. With the recommended user consent setting, users can consent to these — and only these — for apps from verified publishers.",
};
export const metadata: Metadata = { title: WIZARD.title };
const PATH = "/admin/policies/classifications";

const oktaHref = `${PATH}?${new URLSearchParams([["step", "preview"], ...OKTA_OFFICE365_MAIL_SET.map((name) => ["add", name])]).toString()}`;

export default async function ClassificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = classificationCapability(user.wids);
  const read = await readTenant(() => readClassificationsToday(user), "read Microsoft Graph's permission classifications");
  if (!read.ok) {
    return (
      <PolicyWizard {...WIZARD}>
        <ReadFailure message={read.message} />
      </PolicyWizard>
    );
  }
  const { scopes, current } = read.value;
  const names = classifiedNames(current, scopes);
  const parsed = params.step === "preview" ? classificationChangeSchema.safeParse(params) : null;

  if (parsed?.success) {
    const plan = planClassifications(current, scopes, parsed.data);
    const nothingToChange = plan.refused.length
      ? "Nothing can be changed: Entra refuses every permission you chose (see why above)."
      : "Nothing to change: the classifications are already as chosen.";
    const hidden: [string, string][] = [
      ...plan.toAdd.map((a): [string, string] => ["add", a.permissionName]),
      ...plan.toRemove.map((r): [string, string] => ["remove", r.permissionName]),
    ];
    const highRisk = plan.highRisk.map((h) => h.permissionName);
    const impact = highRisk.length > 0 ? await readClassificationImpact(user, highRisk) : null;
    return (
      <PolicyWizard {...WIZARD}>
        <ApplyPanel
          action={applyClassifications}
          hidden={hidden}
          applyLabel={classificationsLabel(plan)}
          blockedReason={blockedReason(capability, plan, nothingToChange)}
          restartHref={PATH}
          confirmFields={highRisk.length > 0 ? <HighRiskAck names={highRisk} /> : undefined}
        >
          {impact && <HighRiskWarning names={highRisk} reach={impact.reach} apps={impact.apps} />}
          <PlanTable plan={plan} />
          <BeforeAfter before={plan.beforeWords} after={plan.afterWords} />
        </ApplyPanel>
      </PolicyWizard>
    );
  }

  const candidates = classifiableScopes(scopes).filter((s) => !names.includes(s.value));
  return (
    <PolicyWizard {...WIZARD}>
      <WizardSteps current="Choose" />
      <TenantToday>{classificationsInWords(names).join(" ")}</TenantToday>
      <RoleNote capability={capability} />
      <section aria-labelledby="vendor-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="vendor-heading" className="font-semibold">
          A vendor&apos;s set in one click
        </h2>
        <p className="text-sm text-slate-700">
          Okta Workflows&apos; Office 365 Mail connector (Option 3 of Okta&apos;s article): {OKTA_OFFICE365_MAIL_SET.join(", ")}.
        </p>
        {capability.allowed ? (
          <Link href={oktaHref} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Apply the Okta Office 365 Mail set
          </Link>
        ) : (
          <span aria-disabled="true" className="inline-block cursor-not-allowed rounded bg-brand px-4 py-2 font-medium text-white opacity-60">
            Apply the Okta Office 365 Mail set
          </span>
        )}
      </section>
      {parsed && !parsed.success && <ChooseErrors messages={parsed.error.issues.map((issue) => issue.message)} />}
      <PreviewForm action={PATH} disabled={!capability.allowed}>
        <fieldset disabled={!capability.allowed} className="space-y-4" aria-describedby={!capability.allowed ? "role-reason" : undefined}>
          <section className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="classified-heading">
            <h2 id="classified-heading" className="font-semibold">
              Classified low impact
            </h2>
            {names.length === 0 ? (
              <p className="text-sm text-slate-600">None yet.</p>
            ) : (
              <ul className="mt-2 space-y-1" data-testid="classified">
                {names.map((name) => {
                  const info = describePermission(MICROSOFT_GRAPH_APP_ID, "delegated", name);
                  return (
                    <li key={name}>
                      <label className="flex flex-wrap items-center gap-2 text-sm">
                        <input type="checkbox" name="remove" value={name} />
                        <span className="font-mono">{name}</span> <span className="text-slate-600">{info.displayName}</span> <RiskBadge level={info.risk} />
                        <span className="text-xs text-slate-500">tick to remove</span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <section className="rounded-lg border border-slate-200 bg-white p-4">
            <label htmlFor="add" className="block font-semibold">
              Add permissions
            </label>
            <p id="add-hint" className="text-sm text-slate-600">
              Names of Microsoft Graph delegated permissions, separated by commas or spaces. Only permissions users can consent to can be classified.
            </p>
            <input id="add" name="add" list="classifiable" aria-describedby="add-hint" className="mt-1 w-full rounded border border-slate-300 p-1.5 font-mono text-sm" />
            <datalist id="classifiable">
              {candidates.map((s) => (
                <option key={s.id} value={s.value} />
              ))}
            </datalist>
          </section>
        </fieldset>
      </PreviewForm>
    </PolicyWizard>
  );
}
