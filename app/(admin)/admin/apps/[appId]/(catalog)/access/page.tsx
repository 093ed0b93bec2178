import type { Metadata } from "next";
import Link from "next/link";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { catalogAppOrNotFound } from "@/lib/catalog";
import { accessWizard } from "@/lib/consent/access";
import { loadAccessChoices } from "@/lib/consent/access/load";
import { HIDE_APP_TAG, type DirectoryPrincipal } from "@/lib/consent/access/plan";
import { accessQuery, accessSelectionSchema } from "@/lib/consent/access/schema";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { accessLabel } from "@/lib/consent/confirm-labels";
import { isRefusal, previewWizard } from "@/lib/consent/engine/wizard";
import { canChangeServicePrincipal, SERVICE_PRINCIPAL_ROLE_REASON } from "@/lib/consent/revoke/plan";
import { AccessPreview } from "./_components/access-preview";
import { ConfirmAccessForm } from "./_components/confirm-access-form";

export const metadata: Metadata = { title: "Restrict and assign" };

type Props = { params: Promise<{ appId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

function Choice({ name, value, current, label }: { name: string; value: string; current: string; label: string }) {
  const id = `${name}-${value}`;
  return (
    <div className="flex items-start gap-2 py-0.5 text-sm">
      <input id={id} type="radio" name={name} value={value} defaultChecked={current === value} className="mt-1" />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

export default async function AccessPage({ params, searchParams }: Props) {
  const { appId: rawAppId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${rawAppId}/access`);
  const app = await catalogAppOrNotFound(rawAppId);

  const query = await searchParams;
  const previewing = query.step === "preview";
  const chosen = accessSelectionSchema.parse({ req: query.req, signin: query.signin, vis: query.vis, a: query.a, x: query.x, role: query.role, q: query.q });

  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title="Restrict and assign">
        Decide who can use {app.displayName}: require user assignment and assign users or groups, disable sign-in, or hide it from users&apos; app launchers.
      </AppWizardHeader>
      {previewing ? <Preview /> : <Choose />}
    </div>
  );

  /** `message`: why a choice sent to Preview came back (nothing chosen, a refusal); the form keeps the choice. */
  async function Choose({ message }: { message?: string }) {
    return (
      <>
        <WizardSteps current="Choose" />
        {message && <ChooseErrors testId="choose-message">{message}</ChooseErrors>}
        <ChooseForm />
      </>
    );
  }

  async function ChooseForm() {
    const { state, appRoles, picked, found } = await loadAccessChoices(user, app!.appId, chosen);
    const sp = state.servicePrincipal;
    if (!sp) {
      return (
        <p className="rounded bg-slate-100 px-3 py-2" data-testid="not-in-tenant">
          {app!.displayName} is not in your tenant yet, so there is nothing to restrict.{" "}
          <Link href={`/admin/apps/${app!.appId}/grant`} className="underline">
            Grant consent first
          </Link>
          .
        </p>
      );
    }
    const candidates = [...new Map([...picked, ...found].map((p) => [p.id, p])).values()].filter((p) => !state.assignments.some((a) => a.principalId === p.id));
    const isPicked = (p: DirectoryPrincipal) => picked.some((q) => q.id === p.id);
    const canPatch = canChangeServicePrincipal(user.wids);
    const hidden = sp.tags.includes(HIDE_APP_TAG);
    return (
      <form method="get" className="space-y-5">
        {!canPatch && (
          <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="blocked-switches">
            Requiring assignment, sign-in and visibility are not available: {SERVICE_PRINCIPAL_ROLE_REASON} You can still assign and unassign.
          </p>
        )}
        <fieldset className="rounded border border-slate-200 bg-white p-4" disabled={!canPatch}>
          <legend className="px-1 font-semibold">User assignment</legend>
          <Choice name="req" value="keep" current={chosen.req} label={`Leave as it is (now: ${sp.appRoleAssignmentRequired ? "required" : "not required"})`} />
          <Choice name="req" value="on" current={chosen.req} label="Require assignment: only assigned users and groups can sign in" />
          <Choice name="req" value="off" current={chosen.req} label="Do not require assignment: anyone in the tenant can sign in" />
        </fieldset>
        <fieldset className="rounded border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">Assigned users and groups</legend>
          {state.assignments.length === 0 && <p className="text-sm text-slate-600">Nobody is assigned.</p>}
          {state.assignments.map((a) => (
            <div key={a.assignmentId} className="flex items-start gap-2 py-0.5 text-sm">
              <input id={`x-${a.assignmentId}`} type="checkbox" name="x" value={a.assignmentId} defaultChecked={chosen.x.includes(a.assignmentId)} className="mt-1" />
              <label htmlFor={`x-${a.assignmentId}`}>
                Unassign {a.principalDisplayName} <span className="text-slate-500">({a.principalType === "Group" ? "group" : "user"})</span>
              </label>
            </div>
          ))}
          <div className="mt-3 border-t border-slate-100 pt-3">
            <label htmlFor="q" className="block text-sm font-medium">
              Find users and groups to assign
            </label>
            <div className="mt-1 flex gap-2">
              <input id="q" name="q" type="search" defaultValue={chosen.q ?? ""} maxLength={64} placeholder="Name starts with…" className="w-64 rounded border border-slate-300 p-1.5 text-sm" />
              <button type="submit" name="step" value="choose" className="rounded border border-slate-300 px-3 py-1.5 text-sm">
                Search
              </button>
            </div>
            {chosen.q && found.length === 0 && <p className="mt-1 text-sm text-slate-600">Nobody in the directory has a name starting with “{chosen.q}”.</p>}
            <div data-testid="search-results" className="mt-2">
              {candidates.map((p) => (
                <div key={p.id} className="flex items-start gap-2 py-0.5 text-sm">
                  <input id={`a-${p.id}`} type="checkbox" name="a" value={`${p.type}|${p.id}`} defaultChecked={isPicked(p)} className="mt-1" />
                  <label htmlFor={`a-${p.id}`}>
                    Assign {p.displayName} <span className="text-slate-500">({p.type === "Group" ? "group" : (p.upn ?? "user")})</span>
                  </label>
                </div>
              ))}
            </div>
            {appRoles.length > 0 ? (
              <div className="mt-2 text-sm">
                <label htmlFor="role" className="font-medium">
                  Assign with the role
                </label>{" "}
                <select id="role" name="role" defaultValue={chosen.role} className="rounded border border-slate-300 p-1">
                  {appRoles.map((role) => (
                    <option key={role.id} value={role.id}>
                      {role.value}
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <p className="mt-2 text-xs text-slate-500">{app!.displayName} defines no app roles: people are assigned with Default Access.</p>
            )}
          </div>
        </fieldset>
        <fieldset className="rounded border border-slate-200 bg-white p-4" disabled={!canPatch}>
          <legend className="px-1 font-semibold">Sign-in</legend>
          <Choice name="signin" value="keep" current={chosen.signin} label={`Leave as it is (now: ${sp.accountEnabled ? "enabled" : "disabled"})`} />
          <Choice name="signin" value="off" current={chosen.signin} label="Disable sign-in: nobody can sign in, assigned or not" />
          <Choice name="signin" value="on" current={chosen.signin} label="Enable sign-in" />
        </fieldset>
        <fieldset className="rounded border border-slate-200 bg-white p-4" disabled={!canPatch}>
          <legend className="px-1 font-semibold">Visible to users</legend>
          <Choice name="vis" value="keep" current={chosen.vis} label={`Leave as it is (now: ${hidden ? "hidden" : "shown"})`} />
          <Choice name="vis" value="hide" current={chosen.vis} label="Hide from My Apps and Office launchers (sign-in still works)" />
          <Choice name="vis" value="show" current={chosen.vis} label="Show in My Apps" />
        </fieldset>
        <button type="submit" name="step" value="preview" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Preview changes
        </button>
      </form>
    );
  }

  async function Preview() {
    const loaded = await previewWizard(accessWizard, user, { appId: app!.appId, req: chosen.req, signin: chosen.signin, vis: chosen.vis, a: chosen.a, x: chosen.x, role: chosen.role });
    if (isRefusal(loaded)) return <Choose message={loaded.refusal} />;
    const { plan } = loaded;
    return (
      <div className="space-y-6">
        <ConfirmAccessForm
          appId={app!.appId}
          chosen={{ req: chosen.req, signin: chosen.signin, vis: chosen.vis, a: chosen.a, x: chosen.x, role: chosen.role }}
          retryHref={`/admin/apps/${app!.appId}/access?${accessQuery(chosen, "preview")}`}
          disabled={plan.changeCount === 0 || plan.unknown.length > 0}
          label={accessLabel(plan, app!.displayName)}
        >
          <AccessPreview plan={plan} appName={app!.displayName} />
          <Link href={`/admin/apps/${app!.appId}/access?${accessQuery(chosen)}`} className="text-sm text-brand underline">
            ← Change the selection
          </Link>
        </ConfirmAccessForm>
      </div>
    );
  }
}
