import type { Metadata } from "next";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { failureInWords, groupNames, readGroupConsentState } from "@/lib/consent/policies/graph";
import { GROUP_CONSENT_UNAVAILABLE, groupConsentInWords, planGroupConsent, type GroupConsentState } from "@/lib/consent/policies/group-consent";
import { listAll } from "@/lib/graph/paging";
import { graphForUser } from "@/lib/graph/session";
import { groupConsentCapability } from "@/lib/roles";
import { groupConsentChoiceSchema, searchParamsObject } from "@/lib/validations/policies";
import { ApplyPanel } from "../_components/apply-panel";
import { BeforeAfter } from "../_components/before-after";
import { RoleNote } from "../_components/role-note";
import { ReadFailure, WizardHeader } from "../_components/wizard-header";
import { applyGroupConsent } from "./actions";
import { GroupConsentOptions } from "./_components/group-consent-options";

export const metadata: Metadata = { title: "Group-owner consent" };
const PATH = "/admin/policies/group-consent";

export default async function GroupConsentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireRole(["admin"], PATH);
  const params = searchParamsObject(await searchParams);
  const capability = groupConsentCapability(user.wids);
  const header = (
    <WizardHeader
      title="Group-owner consent"
      intro="Whether owners of Microsoft 365 groups and teams may consent to apps accessing their group's data (the beta directory setting “Consent Policy Settings”)."
    />
  );
  const { client } = await graphForUser(user);
  const parsed = params.step === "preview" ? groupConsentChoiceSchema.safeParse(params) : null;
  let state: GroupConsentState;
  let names: Map<string, string>;
  let groups: { id: string; name: string }[] = [];
  try {
    state = await readGroupConsentState(client);
    if (state.kind !== "unavailable" && !parsed?.success) {
      const found = await listAll<{ id: string; displayName: string | null }>(client, "/groups?$select=id,displayName&$top=100", { maxItems: 500 });
      groups = found.map((g) => ({ id: g.id.toLowerCase(), name: g.displayName ?? g.id })).sort((a, b) => a.name.localeCompare(b.name));
    }
    names = new Map(groups.map((g) => [g.id, g.name]));
    const wanted = [parsed?.success ? parsed.data.groupId : null, state.kind === "unavailable" ? null : state.current.groupId].filter((id): id is string => !!id && !names.has(id));
    for (const [id, name] of await groupNames(client, wanted)) names.set(id, name);
  } catch (error) {
    return (
      <div className="space-y-6">
        {header}
        <ReadFailure message={failureInWords(error, "read the group consent setting")} />
      </div>
    );
  }

  if (state.kind === "unavailable") {
    return (
      <div className="space-y-6">
        {header}
        <p className="rounded border border-slate-300 bg-slate-50 p-4" data-testid="group-consent-unavailable">
          {GROUP_CONSENT_UNAVAILABLE}
        </p>
      </div>
    );
  }

  if (parsed?.success) {
    const plan = planGroupConsent(state, parsed.data, names);
    if (plan.kind === "change") {
      const blockedReason = !capability.allowed ? `Not with your role: ${capability.reason}` : !plan.changed ? "This is already the tenant's setting: there is nothing to change." : null;
      const hidden: [string, string][] = [["mode", parsed.data.mode], ["groupId", parsed.data.groupId ?? ""]];
      return (
        <div className="space-y-6">
          {header}
          <ApplyPanel action={applyGroupConsent} hidden={hidden} applyLabel="Change group-owner consent" blockedReason={blockedReason} restartHref={PATH}>
            <BeforeAfter before={[plan.beforeWords]} after={[plan.afterWords]} />
            {plan.method === "POST" && <p className="text-sm text-slate-600">The tenant has the template but no setting made from it yet: this creates it, with Entra&apos;s defaults for every other value.</p>}
          </ApplyPanel>
        </div>
      );
    }
  }

  return (
    <div className="space-y-6">
      {header}
      <WizardSteps current="Choose" />
      <section aria-labelledby="current-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="current-heading" className="font-semibold">
          The tenant today
        </h2>
        <p className="mt-1 text-sm" data-testid="current-policy">
          {groupConsentInWords(state.current, names)}
          {state.kind === "template-only" && " (No setting object exists yet, so Entra's default applies.)"}
        </p>
      </section>
      <RoleNote capability={capability} />
      {parsed && !parsed.success && (
        <ul role="alert" className="list-disc pl-5 text-sm text-red-700">
          {parsed.error.issues.map((issue, i) => (
            <li key={i}>{issue.message}</li>
          ))}
        </ul>
      )}
      <form method="get" action={PATH} className="space-y-4">
        <input type="hidden" name="step" value="preview" />
        <GroupConsentOptions current={state.current} groups={groups} disabled={!capability.allowed} />
        <button type="submit" disabled={!capability.allowed} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:cursor-not-allowed disabled:opacity-60">
          Preview the change
        </button>
      </form>
    </div>
  );
}
