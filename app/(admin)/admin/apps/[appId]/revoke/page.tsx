import type { Metadata } from "next";
import Link from "next/link";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { PermissionList } from "@/components/permissions/permission-list";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { isInCatalog } from "@/lib/catalog";
import { knownAppOrNotFound } from "@/lib/catalog/known-app";
import { readAppState } from "@/lib/consent/app-state";
import { canChangeServicePrincipal, canRemoveGraphAppRoles, GRAPH_APP_ROLE_REMOVE_REASON, SERVICE_PRINCIPAL_ROLE_REASON } from "@/lib/consent/revoke/plan";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { revokeLabel } from "@/lib/consent/confirm-labels";
import { isRefusal, previewWizard, readAsUser } from "@/lib/consent/engine/wizard";
import { revokeWizard } from "@/lib/consent/revoke";
import { listedPermission } from "@/lib/permission-items";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { revokeQuery, revokeSelectionSchema } from "@/lib/consent/revoke/schema";
import { ConfirmRevokeForm } from "./_components/confirm-revoke-form";
import { RevokePreview } from "./_components/revoke-preview";

export const metadata: Metadata = { title: "Revoke consent" };

type Props = { params: Promise<{ appId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function RevokePage({ params, searchParams }: Props) {
  const { appId: rawAppId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${rawAppId}/revoke`);
  const app = await knownAppOrNotFound(user, rawAppId);

  const query = await searchParams;
  const previewing = query.step === "preview";
  const chosen = revokeSelectionSchema.parse({ s: query.s, r: query.r, u: query.u, del: query.del, block: query.block });

  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title="Revoke consent">
        Take back what {app.displayName} was given: scopes of the tenant-wide grant, application permissions, one user&apos;s own consent (which Entra&apos;s
        Permissions blade cannot do), or the whole app.
      </AppWizardHeader>
      {!isInCatalog(app) && <NotInCatalog />}
      {previewing ? <Preview /> : <Choose />}
    </div>
  );

  function NotInCatalog() {
    return (
      <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="not-in-catalog">
        {app.displayName} is not in the portal&apos;s catalog: it is described from its service principal in your tenant ({app.publisher ?? "unknown publisher"}
        {app.verifiedPublisher ? ", verified publisher" : ", publisher not verified"}). Revoking needs no catalog entry.
      </p>
    );
  }

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
    const state = await readAsUser(user, (graph) => readAppState(graph, app!.appId));
    if (!state.servicePrincipal) {
      return (
        <p className="rounded bg-slate-100 px-3 py-2" data-testid="nothing-to-revoke">
          {app!.displayName} is not in your tenant: nobody has consented, so there is nothing to revoke.
        </p>
      );
    }
    const canRemoveGraphRoles = canRemoveGraphAppRoles(user.wids);
    const canDelete = canChangeServicePrincipal(user.wids);
    const isChecked = (kind: "s" | "r" | "u", value: string) => chosen[kind].includes(value);
    return (
      <form method="get" className="space-y-5">
        <input type="hidden" name="step" value="preview" />
        <fieldset className="rounded border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">Delegated permissions for all users (tenant-wide grant)</legend>
          {state.tenantWide.length === 0 && <p className="text-sm text-slate-600">None granted tenant-wide.</p>}
          {state.tenantWide.length > 0 && (
            <>
              <p className="text-sm text-slate-600">Check every scope of an API to delete its whole grant.</p>
              <PermissionList
                testId="revoke-scopes"
                items={state.tenantWide.flatMap((grant) =>
                  grant.scopes.map((scope) => {
                    const item = listedPermission(grant.resource.appId, "delegated", scope, grant.resource.displayName);
                    const value = `${grant.resource.appId}|${scope}`;
                    const id = `s-${grant.resource.appId}-${scope}`;
                    return {
                      ...item,
                      content: (
                        <div className="flex items-start gap-2">
                          <input id={id} type="checkbox" name="s" value={value} defaultChecked={isChecked("s", value)} className="mt-1" />
                          <label htmlFor={id} className="flex flex-wrap items-center gap-x-2">
                            <span className="font-medium">{scope}</span>
                            <span className="text-slate-500">delegated</span>
                            <span className="w-full text-slate-600">{item.displayName}</span>
                          </label>
                        </div>
                      ),
                    };
                  }),
                )}
              />
            </>
          )}
        </fieldset>
        <fieldset className="rounded border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">Application permissions (the app acting on its own)</legend>
          {state.appPermissions.length === 0 && <p className="text-sm text-slate-600">None.</p>}
          {state.appPermissions.length > 0 && (
            <PermissionList
              testId="revoke-app-roles"
              items={state.appPermissions.map((permission) => {
                const value = `${permission.resource.appId}|${permission.value}`;
                const id = `r-${permission.assignmentId}`;
                const blocked = permission.resource.appId === MICROSOFT_GRAPH_APP_ID && !canRemoveGraphRoles;
                return {
                  ...listedPermission(permission.resource.appId, "application", permission.value, permission.resource.displayName),
                  key: id,
                  testId: blocked ? "blocked-app-role" : undefined,
                  disabled: blocked,
                  content: (
                    <div className="flex items-start gap-2">
                      <input id={id} type="checkbox" name="r" value={value} disabled={blocked} defaultChecked={!blocked && isChecked("r", value)} className="mt-1" />
                      <label htmlFor={id} className="flex flex-wrap items-center gap-x-2">
                        <span className={blocked ? "font-medium text-slate-400" : "font-medium"}>{permission.value}</span>
                        <span className="text-slate-500">on {permission.resource.displayName}</span>
                        {blocked && <span className="w-full text-amber-800">Not available: {GRAPH_APP_ROLE_REMOVE_REASON}</span>}
                      </label>
                    </div>
                  ),
                };
              })}
            />
          )}
        </fieldset>
        <fieldset className="rounded border border-slate-200 bg-white p-4">
          <legend className="px-1 font-semibold">Users who consented for themselves</legend>
          {state.userConsents.length === 0 && <p className="text-sm text-slate-600">Nobody.</p>}
          {[...new Map(state.userConsents.map((c) => [c.principalId, c])).values()].map((consent) => {
            const scopes = state.userConsents.filter((c) => c.principalId === consent.principalId).flatMap((c) => c.scopes);
            const id = `u-${consent.principalId}`;
            return (
              <div key={id} className="flex items-start gap-2 py-1 text-sm">
                <input id={id} type="checkbox" name="u" value={consent.principalId} defaultChecked={isChecked("u", consent.principalId)} className="mt-1" />
                <label htmlFor={id}>
                  Revoke {consent.principalName}&apos;s consent <span className="text-slate-500">({consent.principalUpn})</span>: <span className="font-mono">{scopes.join(" ")}</span>
                </label>
              </div>
            );
          })}
        </fieldset>
        <fieldset className="rounded border border-red-200 bg-white p-4">
          <legend className="px-1 font-semibold text-red-800">Prohibit users from using the app</legend>
          <div className="flex items-start gap-2 text-sm" data-testid={canDelete ? undefined : "blocked-block"}>
            <input id="block" type="checkbox" name="block" value="yes" disabled={!canDelete} defaultChecked={canDelete && chosen.block === "yes"} className="mt-1" />
            <label htmlFor="block">
              Block {app!.displayName}: keep it in the tenant with sign-in disabled and assignment required, and remove every grant. Nobody can sign in to it or
              consent to it again until an admin enables it.
              {!canDelete && <span className="block text-amber-800">Not available: {SERVICE_PRINCIPAL_ROLE_REASON}</span>}
            </label>
          </div>
        </fieldset>
        <fieldset className="rounded border border-red-200 bg-white p-4">
          <legend className="px-1 font-semibold text-red-800">Delete the app from the tenant</legend>
          <div className="flex items-start gap-2 text-sm" data-testid={canDelete ? undefined : "blocked-delete"}>
            <input id="del" type="checkbox" name="del" value="yes" disabled={!canDelete} defaultChecked={canDelete && chosen.del === "yes"} className="mt-1" />
            <label htmlFor="del">
              Delete {app!.displayName}&apos;s service principal: every consent, application permission and assignment goes with it (the way
              vendors&apos; articles give to revoke admin consent). Anything else chosen above is then irrelevant.
              {!canDelete && <span className="block text-amber-800">Not available: {SERVICE_PRINCIPAL_ROLE_REASON}</span>}
            </label>
          </div>
        </fieldset>
        <button type="submit" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Preview changes
        </button>
      </form>
    );
  }

  async function Preview() {
    const loaded = await previewWizard(revokeWizard, user, {
      appId: app!.appId,
      s: chosen.s,
      r: chosen.r,
      u: chosen.u,
      del: chosen.del === "yes" ? "yes" : undefined,
      block: chosen.block === "yes" ? "yes" : undefined,
    });
    if (isRefusal(loaded)) return <Choose message={loaded.refusal} />;
    const { plan } = loaded;
    return (
      <div className="space-y-6">
        <ConfirmRevokeForm
          appId={app!.appId}
          chosen={{ s: chosen.s, r: chosen.r, u: chosen.u, del: chosen.del, block: chosen.block }}
          retryHref={`/admin/apps/${app!.appId}/revoke?${revokeQuery(chosen, "preview")}`}
          disabled={plan.changeCount === 0}
          deleting={!!plan.deleteServicePrincipal}
          label={revokeLabel(plan, app!.displayName)}
          appName={app!.displayName}
          deleteConfirmation={plan.deleteServicePrincipal ? (plan.consentAgain?.possible ? "consent-again" : "yes") : null}
        >
          <RevokePreview plan={plan} appName={app!.displayName} blockHref={`/admin/apps/${app!.appId}/revoke?${revokeQuery({ s: [], r: [], u: [], block: "yes" }, "preview")}`} />
          <Link href={`/admin/apps/${app!.appId}/revoke?${revokeQuery(chosen)}`} className="text-sm text-brand underline">
            ← Change the selection
          </Link>
        </ConfirmRevokeForm>
      </div>
    );
  }
}
