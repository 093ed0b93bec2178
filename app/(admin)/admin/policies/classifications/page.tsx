import type { Metadata } from "next";
import Link from "next/link";
import { RiskBadge } from "@/components/wizard/risk-badge";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { classifiableScopes, classificationsInWords, OKTA_OFFICE365_MAIL_SET, planClassifications, type Classification, type DelegatedScope } from "@/lib/consent/policies/classifications";
import { failureInWords, readClassifications, readGraphDelegatedScopes } from "@/lib/consent/policies/graph";
import { graphForUser } from "@/lib/graph/session";
import { describePermission, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classificationCapability } from "@/lib/roles";
import { classificationChangeSchema, searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { RoleNote } from "../_components/role-note";
import { ReadFailure, WizardHeader } from "../_components/wizard-header";
import { applyClassifications } from "./actions";
import { PlanTable } from "./_components/plan-table";

export const metadata: Metadata = { title: "Permission classifications" };
const PATH = "/admin/policies/classifications";

const oktaHref = `${PATH}?${new URLSearchParams([["step", "preview"], ...OKTA_OFFICE365_MAIL_SET.map((name) => ["add", name])]).toString()}`;

export default async function ClassificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = classificationCapability(user.wids);
  const header = (
    <WizardHeader
      title="Permission classifications"
      intro="Microsoft Graph delegated permissions classified as low impact. With the recommended user consent setting, users can consent to these — and only these — for apps from verified publishers."
    />
  );
  const { client } = await graphForUser(user);
  let scopes: DelegatedScope[];
  let current: Classification[];
  try {
    ({ scopes } = await readGraphDelegatedScopes(client));
    current = await readClassifications(client);
  } catch (error) {
    return (
      <div className="space-y-6">
        {header}
        <ReadFailure message={failureInWords(error, "read Microsoft Graph's permission classifications")} />
      </div>
    );
  }
  const names = current.map((c) => c.permissionName ?? scopes.find((s) => s.id === c.permissionId)?.value ?? c.permissionId).sort((a, b) => a.localeCompare(b));
  const parsed = params.step === "preview" ? classificationChangeSchema.safeParse(params) : null;

  if (parsed?.success) {
    const plan = planClassifications(current, scopes, parsed.data);
    const blockedReason = !capability.allowed
      ? `Not with your role: ${capability.reason}`
      : !plan.changed
        ? plan.refused.length
          ? "Nothing can be changed: Entra refuses every permission you chose (see why above)."
          : "Nothing to change: the classifications are already as chosen."
        : null;
    const hidden: [string, string][] = [
      ...plan.toAdd.map((a): [string, string] => ["add", a.permissionName]),
      ...plan.toRemove.map((r): [string, string] => ["remove", r.permissionName]),
    ];
    return (
      <div className="space-y-6">
        {header}
        <ApplyPanel action={applyClassifications} hidden={hidden} applyLabel="Apply the classifications" blockedReason={blockedReason} restartHref={PATH}>
          <PlanTable plan={plan} />
          <BeforeAfter before={plan.beforeWords} after={plan.afterWords} />
        </ApplyPanel>
      </div>
    );
  }

  const candidates = classifiableScopes(scopes).filter((s) => !names.includes(s.value));
  return (
    <div className="space-y-6">
      {header}
      <WizardSteps current="Choose" />
      <section aria-labelledby="current-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="current-heading" className="font-semibold">
          The tenant today
        </h2>
        <p className="mt-1 text-sm" data-testid="current-policy">
          {classificationsInWords(names).join(" ")}
        </p>
      </section>
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
      {parsed && !parsed.success && (
        <ul role="alert" className="list-disc pl-5 text-sm text-red-700">
          {parsed.error.issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
      <form method="get" action={PATH} className="space-y-4">
        <input type="hidden" name="step" value="preview" />
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
        <button type="submit" disabled={!capability.allowed} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-60">
          Preview the change
        </button>
      </form>
    </div>
  );
}
