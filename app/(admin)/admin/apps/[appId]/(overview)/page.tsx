import type { Metadata } from "next";
import Link from "next/link";
import { PermissionList } from "@/components/permissions/permission-list";
import { adoptIntoBaselineAction } from "@/app/(review)/inventory/apps/[appId]/actions";
import { AdoptForm } from "@/components/baseline/adopt-form";
import { BaselineCard } from "@/components/baseline/baseline-card";
import { DriftList } from "@/components/baseline/drift-list";
import { requireRole } from "@/lib/auth/guards";
import { adoptionPreviewOf } from "@/lib/baseline/adopt";
import { listOpenDrifts } from "@/lib/baseline/drift-portal";
import { readBaseline } from "@/lib/baseline/store";
import { isInCatalog } from "@/lib/catalog";
import { knownAppOrNotFound } from "@/lib/catalog/known-app";
import { readAppState } from "@/lib/consent/app-state";
import type { LastChange } from "@/lib/consent/app-history";
import { readLastChange } from "@/lib/consent/app-history-load";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { listedPermission } from "@/lib/permission-items";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "App" };

function Fact({ label, value, testId }: { label: string; value: React.ReactNode; testId?: string }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
}

const day = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ") + " UTC";

/** The audit trail's last delete or block of the app, in words: what the app page "remembers". */
function LastChangeText({ last, present }: { last: LastChange; present: boolean }) {
  const why = last.justification ? ` (“${last.justification}”)` : "";
  if (last.kind === "deleted") {
    return (
      <span>
        Deleted by {last.by} on {day(last.at)}
        {why}.{" "}
        {last.consentAgain?.possible ? (
          <strong className="text-amber-900">Users could consent again because {last.consentAgain.reason}</strong>
        ) : last.consentAgain ? (
          <>Users could not consent to it again by themselves: {last.consentAgain.reason}</>
        ) : null}
        {present && " It has been added back since."}
      </span>
    );
  }
  if (last.kind === "blocked") {
    return (
      <span>
        Blocked by {last.by} on {day(last.at)}
        {why}: {last.what.join(", ")}.
      </span>
    );
  }
  return (
    <span>
      Sign-in enabled again by {last.by} on {day(last.at)}
      {why}.
    </span>
  );
}

export default async function AppPage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: rawAppId } = await params;
  const user = await requireRole(["admin"], `/admin/apps/${rawAppId}`);
  const app = await knownAppOrNotFound(user, rawAppId);
  const cataloged = isInCatalog(app);
  const [state, last, baseline, drifts] = await Promise.all([
    readAsUser(user, (graph) => readAppState(graph, app.appId)),
    readLastChange(app.appId),
    readBaseline(app.appId),
    listOpenDrifts({ appId: app.appId }),
  ]);
  // What adopting would save: the state just read, so the page makes no second read of the tenant.
  const adoption = adoptionPreviewOf(app.appId, state, baseline);
  const sp = state.servicePrincipal;

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/admin/apps", label: "Apps" }}
        title={app.displayName}
        subtitle={
          <>
            {app.publisher ?? "Unknown publisher"} · app ID <span className="font-mono text-sm">{app.appId}</span>
          </>
        }
      >
        {!cataloged && (
          <p className="mt-2 max-w-3xl rounded bg-slate-100 px-3 py-2 text-sm" data-testid="not-in-catalog">
            Not in the portal&apos;s catalog: this page describes the app from its service principal in your tenant. You can see and revoke what it holds;
            granting, consent links and the recipe need to know what the app asks for, so{" "}
            <Link href="/admin/apps#in-tenant" className="text-brand underline">
              add it to the catalog
            </Link>{" "}
            for those.
          </p>
        )}
      </PageHeader>
      <div className="flex flex-wrap gap-3">
        {cataloged && (
          <Link href={`/admin/apps/${app.appId}/grant`} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Grant tenant-wide consent
          </Link>
        )}
        {sp && (
          <>
            {cataloged && (
              <Link href={`/admin/apps/${app.appId}/access`} className="rounded border border-brand px-4 py-2 font-medium text-brand hover:bg-slate-50">
                Restrict and assign
              </Link>
            )}
            <Link href={`/admin/apps/${app.appId}/revoke`} className="rounded border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50">
              Revoke consent
            </Link>
          </>
        )}
        {cataloged && (
          <>
            <Link href={`/admin/apps/${app.appId}/consent-link`} className="rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:border-brand">
              Admin consent link
            </Link>
            <Link href={`/admin/apps/${app.appId}/recipe`} className="rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:border-brand">
              Which option?
            </Link>
          </>
        )}
        {baseline && (
          <Link href={`/admin/recertification/${app.appId}`} className="rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:border-brand">
            Recertification
          </Link>
        )}
      </div>
      <section aria-labelledby="state">
        <h2 id="state" className="text-lg font-semibold">In your tenant now</h2>
        <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]">
          <Fact
            label="Service principal"
            testId="sp-state"
            value={sp ? `Present (${sp.id})` : last?.kind === "deleted" ? "Not in the tenant: deleted (see the last change below)" : "Not in the tenant: nobody has consented yet"}
          />
          {last && <Fact label="Last change" testId="last-change" value={<LastChangeText last={last} present={sp !== null} />} />}
          {sp && (
            <>
              <Fact label="Sign-in" testId="sign-in-state" value={sp.accountEnabled ? "Enabled" : "Disabled: nobody can sign in"} />
              <Fact label="Assignment required" testId="assignment-state" value={sp.appRoleAssignmentRequired ? "Yes: only assigned users and groups" : "No: anyone in the tenant"} />
              <Fact label="Publisher" value={sp.verifiedPublisher ? `Verified: ${sp.verifiedPublisher}` : "Not verified"} />
            </>
          )}
        </dl>
      </section>
      <BaselineCard baseline={baseline} appId={app.appId}>
        {adoption.inTenant && adoption.permissions.length > 0 && !adoption.unchanged && (
          <AdoptForm
            action={adoptIntoBaselineAction}
            appId={app.appId}
            appName={app.displayName}
            fingerprint={adoption.fingerprint}
            permissions={adoption.permissions}
            adds={adoption.adds}
            drops={adoption.drops}
            hasBaseline={baseline !== null}
          />
        )}
      </BaselineCard>
      {drifts.length > 0 && (
        <section aria-labelledby="drift" className="space-y-2">
          <h2 id="drift" className="text-lg font-semibold">
            Drift from the baseline ({drifts.length})
          </h2>
          <DriftList drifts={drifts} canAct showApp={false} />
        </section>
      )}
      <section aria-labelledby="tenant-wide">
        <h2 id="tenant-wide" className="text-lg font-semibold">Delegated permissions for all users</h2>
        {state.tenantWide.length === 0 ? (
          <p className="text-sm text-slate-600">None granted tenant-wide.</p>
        ) : (
          <PermissionList
            testId="tenant-wide-scopes"
            items={state.tenantWide.flatMap((grant) => grant.scopes.map((scope) => listedPermission(grant.resource.appId, "delegated", scope, grant.resource.displayName)))}
          />
        )}
      </section>
      <section aria-labelledby="application">
        <h2 id="application" className="text-lg font-semibold">Application permissions</h2>
        {state.appPermissions.length === 0 ? (
          <p className="text-sm text-slate-600">None.</p>
        ) : (
          <PermissionList
            testId="app-permissions"
            items={state.appPermissions.map((permission) => ({
              ...listedPermission(permission.resource.appId, "application", permission.value, permission.resource.displayName),
              key: permission.assignmentId,
            }))}
          />
        )}
      </section>
      <section aria-labelledby="users">
        <h2 id="users" className="text-lg font-semibold">Users who consented for themselves ({state.userConsents.length})</h2>
        {state.userConsents.length === 0 ? (
          <p className="text-sm text-slate-600">Nobody.</p>
        ) : (
          <ul className="text-sm" data-testid="user-consents">
            {state.userConsents.map((consent) => (
              <li key={consent.grantId}>
                {consent.principalName} ({consent.principalUpn}): <span className="font-mono">{consent.scopes.join(" ")}</span> on {consent.resource.displayName}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
