import type { Metadata } from "next";
import Link from "next/link";
import { AppWizardHeader } from "@/components/wizard/app-wizard-header";
import { PermissionList } from "@/components/permissions/permission-list";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { requireRole } from "@/lib/auth/guards";
import { catalogAppOrNotFound } from "@/lib/catalog";
import { previewWizard, isRefusal } from "@/lib/consent/engine/wizard";
import { grantWizard } from "@/lib/consent/grant";
import { listedPermissions } from "@/lib/permission-items";
import { grantRequestQuerySchema, grantSelectionSchema } from "@/lib/consent/grant/schema";
import { canGrantGraphAppRoles, GRAPH_APP_ROLE_REASON } from "@/lib/consent/grant/plan";
import { grantLabel } from "@/lib/consent/confirm-labels";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { ChooseErrors } from "@/components/wizard/choose-errors";
import { ApprovingBanner } from "./_components/approving-banner";
import { ConfirmGrantForm } from "./_components/confirm-grant-form";
import { GrantPreview, grantSummary } from "./_components/grant-preview";

export const metadata: Metadata = { title: "Grant tenant-wide admin consent" };

type Props = { params: Promise<{ appId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GrantConsentPage({ params, searchParams }: Props) {
  const { appId: rawAppId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${rawAppId}/grant`);
  const app = await catalogAppOrNotFound(rawAppId);

  const query = await searchParams;
  const previewing = query.step === "preview";
  const chosen = grantSelectionSchema.parse({ d: query.d, r: query.r });
  // Approving a request: the grant carries it, so it is marked approved once the tenant holds it.
  const approvingIds = grantRequestQuerySchema.parse({ request: query.request, entraRequest: query.entraRequest });
  const nothingChosenYet = chosen.d.length + chosen.r.length === 0;
  // A first visit offers everything the app asks for; an empty choice sent back to Choose stays empty.
  const isChecked = (kind: "d" | "r", value: string) => (nothingChosenYet && !previewing) || chosen[kind].includes(value);
  // What Entra will refuse this role is off already here, with the reason (the preview and the server refuse it too).
  const graphAppRolesBlocked = !canGrantGraphAppRoles(user.wids);

  return (
    <div className="space-y-6">
      <AppWizardHeader app={app} title="Grant tenant-wide admin consent">
        “Consent on behalf of your organization” for {app.displayName}: no user will be asked to consent to what you grant here.
      </AppWizardHeader>
      {previewing ? <Preview /> : <Choose />}
    </div>
  );

  /** `message`: why a choice sent to Preview came back (nothing chosen, a refusal); the choice stays as it was. */
  function Choose({ message }: { message?: string }) {
    return (
      <form method="get" className="space-y-5">
        <WizardSteps current="Choose" />
        {message && <ChooseErrors testId="choose-message">{message}</ChooseErrors>}
        <input type="hidden" name="step" value="preview" />
        {approvingIds.requestId && <input type="hidden" name="request" value={approvingIds.requestId} />}
        {approvingIds.entraRequestId && <input type="hidden" name="entraRequest" value={approvingIds.entraRequestId} />}
        <PermissionList
          label="Permissions"
          items={listedPermissions(app!.permissions).map((item) => {
            const kind = item.kind === "delegated" ? "d" : "r";
            const value = `${item.resourceAppId}|${item.value}`;
            const id = `${kind}-${value}`;
            const blocked = kind === "r" && item.resourceAppId === MICROSOFT_GRAPH_APP_ID && graphAppRolesBlocked;
            return {
              ...item,
              disabled: blocked,
              testId: blocked ? "blocked-app-role" : undefined,
              content: (
                <div className="flex items-start gap-2">
                  <input
                    id={id}
                    type="checkbox"
                    name={kind}
                    value={value}
                    disabled={blocked}
                    defaultChecked={!blocked && isChecked(kind, value)}
                    aria-describedby={blocked ? `${id}-reason` : undefined}
                    className="mt-1"
                  />
                  <label htmlFor={id} className="flex flex-wrap items-center gap-x-2">
                    <span className="font-medium">{item.value}</span>
                    <span className="text-slate-500">{item.kind}</span>
                    <span className="w-full text-slate-600">{item.displayName}</span>
                    {blocked && (
                      <span id={`${id}-reason`} className="w-full text-amber-800">
                        Not with your role: {GRAPH_APP_ROLE_REASON}
                      </span>
                    )}
                  </label>
                </div>
              ),
            };
          })}
        />
        <button type="submit" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Preview changes
        </button>
      </form>
    );
  }

  async function Preview() {
    const selection = { appId: app!.appId, d: chosen.d, r: chosen.r };
    let loaded = nothingChosenYet ? null : await previewWizard(grantWizard, user, { ...selection, ...approvingIds });
    // The request was decided meanwhile — by this very grant, once its result is shown and the page
    // refreshes: the preview stays (so the result does too), saying the grant approves no request now.
    const requestKind = approvingIds.requestId ? ("portal" as const) : approvingIds.entraRequestId ? ("entra" as const) : null;
    let requestGone: string | null = null;
    if (loaded && isRefusal(loaded) && requestKind) {
      const plain = await previewWizard(grantWizard, user, selection);
      if (!isRefusal(plain)) {
        requestGone = loaded.refusal;
        loaded = plain;
      }
    }
    if (!loaded || isRefusal(loaded)) return <Choose message={loaded ? loaded.refusal : "Choose at least one permission."} />;
    const { plan, approving } = loaded;
    const back = new URLSearchParams([
      ...chosen.d.map((v) => ["d", v]),
      ...chosen.r.map((v) => ["r", v]),
      ...(approvingIds.requestId ? [["request", approvingIds.requestId]] : []),
      ...(approvingIds.entraRequestId ? [["entraRequest", approvingIds.entraRequestId]] : []),
    ]).toString();
    return (
      <ConfirmGrantForm
        appId={app!.appId}
        delegated={chosen.d}
        appRoles={chosen.r}
        approving={requestKind ? { kind: requestKind, requestId: (approvingIds.requestId ?? approvingIds.entraRequestId)!, carried: approving !== null } : null}
        // Approving a request whose permissions are granted already still records the approval.
        disabled={plan.changeCount === 0 && !approving}
        label={grantLabel(plan, approving !== null)}
        summary={grantSummary(plan, app!.displayName)}
        retryHref={`/admin/apps/${app!.appId}/grant?step=preview&${back}`}
      >
        {approving && <ApprovingBanner approving={approving} />}
        {requestGone && (
          <p role="status" className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="request-gone">
            {requestGone} Granting from here changes the tenant only; it approves no request.
          </p>
        )}
        <GrantPreview plan={plan} appName={app!.displayName} />
        <Link href={`/admin/apps/${app!.appId}/grant?${back}`} className="text-sm text-brand underline">
          ← Change the selection
        </Link>
      </ConfirmGrantForm>
    );
  }
}
