import type { Metadata } from "next";
import Link from "next/link";
import { PermissionList } from "@/components/permissions/permission-list";
import { requireRole } from "@/lib/auth/guards";
import { findCatalogApp } from "@/lib/catalog";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { listEntraRequests } from "@/lib/consent/entra-requests";
import { listedPermission } from "@/lib/permission-items";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { RequestActions } from "./_components/request-actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Entra's consent requests" };

export default async function EntraRequestsPage({ searchParams }: { searchParams: Promise<{ mine?: string }> }) {
  const user = await requireRole(["admin"], "/admin/entra-requests");
  const mineOnly = (await searchParams).mine === "1";
  const requests = await readAsUser(user, (graph) => listEntraRequests(graph, { mineOnly }));
  return (
    <div className="space-y-6">
      <PageHeader title="Entra's pending consent requests">
        <p className="max-w-3xl text-slate-600">
          Requests users sent from Entra&apos;s “Approval required” screen. Microsoft Graph cannot approve or deny them: approving here grants
          exactly the requested permissions tenant-wide (Entra then lets the users in); denying records your reason in the portal and
          Entra&apos;s request expires on its own.
        </p>
        <nav className="mt-3 flex gap-3 text-sm" aria-label="Which requests">
          <Link href="/admin/entra-requests" aria-current={!mineOnly ? "page" : undefined} className={!mineOnly ? "font-semibold" : "text-brand underline"}>
            All pending
          </Link>
          <Link href="/admin/entra-requests?mine=1" aria-current={mineOnly ? "page" : undefined} className={mineOnly ? "font-semibold" : "text-brand underline"}>
            Mine to review
          </Link>
        </nav>
      </PageHeader>
      {requests.length === 0 && <p className="text-slate-600">No pending requests.</p>}
      <ul className="space-y-4" data-testid="entra-requests">
        {await Promise.all(
          requests.map(async (request) => {
            const inCatalog = await findCatalogApp(request.appId);
            // The grant carries the request: its audit rows name it, and it is recorded approved once the tenant holds it.
            const grantLink = `/admin/apps/${request.appId}/grant?${new URLSearchParams([["step", "preview"], ["entraRequest", request.id], ...request.scopes.map((scope) => ["d", `${MICROSOFT_GRAPH_APP_ID}|${scope}`])]).toString()}`;
            return (
              <li key={request.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="entra-request">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <h2 className="text-lg font-semibold">{request.appName}</h2>
                  {request.approved ? (
                    <span className="rounded bg-green-100 px-2 py-0.5 text-sm text-green-900" data-testid="request-status">Approved: granted tenant-wide</span>
                  ) : request.denial ? (
                    <span className="rounded bg-red-100 px-2 py-0.5 text-sm text-red-900" data-testid="request-status">Denied by {request.denial.by}: {request.denial.reason}</span>
                  ) : (
                    <span className="rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900" data-testid="request-status">Pending</span>
                  )}
                </div>
                <div className="mt-2">
                  <PermissionList items={request.scopes.map((scope) => listedPermission(MICROSOFT_GRAPH_APP_ID, "delegated", scope))} testId="entra-request-permissions" />
                </div>
                <ul className="mt-3 space-y-1 text-sm">
                  {request.requesters.map((requester) => (
                    <li key={requester.upn + requester.createdAt}>
                      <span className="font-medium">{requester.name}</span> ({requester.upn}), {new Date(requester.createdAt).toUTCString()}: “{requester.reason}”
                    </li>
                  ))}
                </ul>
                {!request.approved && !request.denial && (
                  <div className="mt-4 grid gap-4 sm:grid-cols-2">
                    <div>
                      {inCatalog ? (
                        <Link href={grantLink} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
                          Approve: preview the grant
                        </Link>
                      ) : (
                        <p className="text-sm text-slate-700">
                          To approve, first <Link href="/admin/apps" className="text-brand underline">add the app to the catalog</Link> (app ID {request.appId}).
                        </p>
                      )}
                    </div>
                    <RequestActions requestId={request.id} appId={request.appId} />
                  </div>
                )}
              </li>
            );
          }),
        )}
      </ul>
    </div>
  );
}
