import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/guards";
import { PermissionList } from "@/components/permissions/permission-list";
import { PageHeader } from "@/components/ui/page-header";
import { listedPermissions } from "@/lib/permission-items";
import { notificationsOf, type NotificationStatus } from "@/lib/notifications";
import { listCatalog } from "@/lib/catalog";
import { grantWizardHref, listRequests, unnamedApp, type RequestView } from "@/lib/self-service/requests";
import { tenantAppName } from "@/lib/self-service/tenant-facts";
import { AddToCatalogForm, DenyForm } from "./_components/decision-forms";

export const metadata: Metadata = { title: "Approval requests" };

const time = (date: Date) => `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;

function Permissions({ request }: { request: RequestView }) {
  if (request.permissions.length === 0) {
    return <p className="text-sm text-slate-600" data-testid="requested-permissions">No permissions named: the requester described in words what they need.</p>;
  }
  return <PermissionList items={listedPermissions(request.permissions)} testId="requested-permissions" />;
}

const CHANNEL_WORDS: Record<string, string> = { email: "Mail", webhook: "Webhook" };

/** Whether the reviewers were told: sent (to whom), still being retried, or failed for good. */
function Notifications({ notifications }: { notifications: NotificationStatus[] }) {
  const told = notifications.filter((n) => n.kind === "request.created");
  if (told.length === 0) return null;
  return (
    <ul className="text-xs text-slate-600" data-testid="notifications">
      {told.map((n) => (
        <li key={n.id}>
          {CHANNEL_WORDS[n.channel] ?? n.channel}
          {n.status === "sent" && <> sent{n.recipients.length > 0 && <> to {n.recipients.join(", ")}</>}</>}
          {n.status === "pending" && <> not sent yet{n.attempts > 0 && <> ({n.attempts} failed attempt{n.attempts === 1 ? "" : "s"}, retrying: {n.lastError})</>}</>}
          {n.status === "failed" && <> failed after {n.attempts} attempt{n.attempts === 1 ? "" : "s"}: {n.lastError}</>}
        </li>
      ))}
    </ul>
  );
}

const NO_SUCH_APP =
  "The app ID in your request is not an app in our organization, and the portal cannot find it anywhere. Copy the app ID from the app's sign-in page (client_id in its address) and ask again.";

/** Which way approving goes, said plainly: the grant wizard; adding the app first; or why neither can work yet. */
function ApproveWay({ request, cataloged, inTenant }: { request: RequestView; cataloged: boolean; inTenant: boolean }) {
  if (cataloged) {
    return (
      <Link href={grantWizardHref(request)} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
        Approve in the grant wizard
      </Link>
    );
  }
  if (!inTenant && request.appName === unnamedApp(request.appId)) {
    return (
      <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="unknown-app">
        No app with ID {request.appId} is in your tenant or the catalog, and nobody named it: the portal cannot tell whether it exists, so there is nothing to approve.
        Deny with the reason prepared here, or, if you know the app, add it from <Link href="/admin/apps" className="underline">Apps</Link> with its name and sign-in URL.
      </p>
    );
  }
  if (request.permissions.length === 0) {
    return (
      <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="permissions-unknown">
        {request.appName} is {inTenant ? "in your tenant" : "not in your tenant"}, but the portal cannot read which permissions it asks for, so the request names none.
        Add it from <Link href="/admin/apps" className="underline">Apps</Link> with its sign-in URL (the address lists what it asks for), then approve it here in the grant
        wizard, or send its admin consent link from the app&apos;s page: Entra shows you what it asks for before you accept.
      </p>
    );
  }
  return <AddToCatalogForm requestId={request.id} appName={request.appName} />;
}

export default async function ApprovalRequestsPage() {
  await requireRole(["admin"], "/admin/requests");
  const [open, decided] = await Promise.all([listRequests("open"), listRequests("decided")]);
  const [notifications, catalog] = await Promise.all([notificationsOf(open.map((request) => request.id)), listCatalog()]);
  const cataloged = new Set(catalog.map((app) => app.appId));
  // Apps outside the catalog: whether the tenant has them tells an app nobody can find from one that exists.
  const outside = [...new Set(open.filter((r) => !cataloged.has(r.appId)).map((r) => r.appId))];
  const inTenant = new Set((await Promise.all(outside.map(async (appId) => ((await tenantAppName(appId)) ? appId : null)))).filter((id): id is string => id !== null));
  return (
    <div className="space-y-8">
      <PageHeader
        back={{ href: "/admin", label: "Admin home" }}
        title="Approval requests"
        subtitle={
          <>
            Users&apos; requests made in the portal. Approving opens the grant wizard&apos;s preview of exactly what was asked; once the grant holds in the tenant, the
            request is marked approved and the requester is told. Deny with a reason. Requests from Entra&apos;s own “Approval required” screen are under{" "}
            <Link href="/admin/entra-requests" className="text-brand underline">
              Entra&apos;s pending requests
            </Link>
            .
          </>
        }
      />

      <section aria-labelledby="open" className="space-y-3">
        <h2 id="open" className="text-lg font-semibold">
          Open ({open.length})
        </h2>
        {open.length === 0 && <p className="text-sm text-slate-600">No open requests.</p>}
        {open.map((request) => (
          <article
            key={request.id}
            id={`request-${request.id}`}
            className="scroll-mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4 target:border-brand"
            data-testid="open-request"
            aria-label={`${request.appName} requested by ${request.requesterName}`}
          >
            <div>
              <h3 className="font-semibold">{request.appName}</h3>
              <p className="text-sm text-slate-600">
                {request.requesterName} ({request.requesterUpn}) · {time(request.createdAt)}
              </p>
              <Notifications notifications={notifications.get(request.id) ?? []} />
            </div>
            <Permissions request={request} />
            <p className="whitespace-pre-wrap rounded bg-slate-50 p-2 text-sm" data-testid="justification">
              {request.justification}
            </p>
            <div className="grid gap-4 sm:grid-cols-2">
              <div className="space-y-2">
                <ApproveWay request={request} cataloged={cataloged.has(request.appId)} inTenant={inTenant.has(request.appId)} />
              </div>
              <DenyForm requestId={request.id} prepared={!cataloged.has(request.appId) && !inTenant.has(request.appId) && request.appName === unnamedApp(request.appId) ? NO_SUCH_APP : undefined} />
            </div>
          </article>
        ))}
      </section>

      <section aria-labelledby="decided" className="space-y-3">
        <h2 id="decided" className="text-lg font-semibold">
          Decided
        </h2>
        {decided.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing decided yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm" data-testid="decided-requests">
            {decided.map((r) => (
              <li key={r.id} className="p-3">
                <span className="font-medium">{r.appName}</span> for {r.requesterName} — {r.status} by {r.decidedByName} {r.decidedAt && time(r.decidedAt)}
                {r.reason && <span className="block text-slate-600">Reason: {r.reason}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
