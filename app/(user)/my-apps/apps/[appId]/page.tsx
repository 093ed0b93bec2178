import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guards";
import { findCatalogApp } from "@/lib/catalog";
import { explainError } from "@/lib/self-service/errors";
import { listMyEntraRequests } from "@/lib/self-service/entra-requests-of-user";
import { findOpenRequest } from "@/lib/self-service/requests";
import { appStatus } from "@/lib/self-service/status";
import { readStatusFactsAsPortal, requestedPermissions, type StatusReading } from "@/lib/self-service/tenant-facts";
import { guid } from "@/lib/validations/common";
import { statusQuerySchema } from "@/lib/validations/self-service";
import { RequestForm } from "../../_components/request-form";
import { StatusCard } from "../../_components/status-card";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Is my app approved?" };

type Props = { params: Promise<{ appId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AppStatusPage({ params, searchParams }: Props) {
  const { appId: rawAppId } = await params;
  const user = await requireUser(`/my-apps/apps/${encodeURIComponent(rawAppId)}`);
  const appId = guid.safeParse(rawAppId);
  const back = (
    <Link href="/my-apps" className="text-sm text-brand underline">
      ← My apps
    </Link>
  );
  if (!appId.success) {
    return (
      <div className="space-y-4">
        {back}
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-red-800" data-testid="bad-app-id">
          That is not an app ID. An app ID is a GUID like 8e0d5ae6-12fd-4a7e-b01f-a689fa119d94.
        </p>
      </div>
    );
  }
  const query = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const pasted = statusQuerySchema.parse({ code: first(query.code), cid: first(query.cid), ts: first(query.ts), scope: first(query.scope) });

  const catalogApp = await findCatalogApp(appId.data);
  // The person's own open request is a database read: asked for now, beside Graph's round trip, rather
  // than after it. Whether it is shown still depends on the status below, as before.
  const openRequestRead = findOpenRequest(user, appId.data);
  openRequestRead.catch(() => {}); // awaited below only when needed; an unwanted failure is not unhandled
  // So are the person's requests on Entra's "Approval required" screen: two Graph round trips one after
  // the other, which waited for the status before. Asked now, they take no time of their own; an app
  // already approved costs the one Graph read of the person's requests, unused.
  const entraRequestsRead = listMyEntraRequests(user, undefined, { appId: appId.data }).catch(() => []);
  let reading: StatusReading | null = null;
  try {
    reading = await readStatusFactsAsPortal(user, {
      appId: appId.data,
      displayName: catalogApp?.displayName ?? "This app",
      verifiedPublisher: catalogApp?.verifiedPublisher ?? false,
      requested: requestedPermissions(catalogApp, pasted.scope),
    });
  } catch {
    reading = null;
  }
  const appName = reading?.servicePrincipal?.displayName ?? catalogApp?.displayName ?? "Unknown app";
  const status = reading ? appStatus(reading.facts) : null;
  const explanation = pasted.code ? explainError(pasted.code) : null;
  // The portal cannot tell what an app outside the catalog asks for (no sign-in URL pasted): the person can still ask, in words.
  const describeOnly = status?.kind === "needs-admin" && reading?.facts.requested === null && !catalogApp;
  const openRequest = status?.canRequest || describeOnly ? await openRequestRead : null;
  // A request made on Entra's "Approval required" screen that is still waiting: asking again here would be a duplicate.
  const waitingInEntra =
    (status?.canRequest || describeOnly) && !openRequest
      ? ((await entraRequestsRead).find((r) => r.appId === appId.data && r.status === "waiting") ?? null)
      : null;

  return (
    <div className="space-y-6">
      <PageHeader back={{ href: "/my-apps", label: "My apps" }} title={appName}>
        <p className="font-mono text-xs text-slate-500">{appId.data}</p>
        {catalogApp?.publisher && (
          <p className="text-sm text-slate-600">
            {catalogApp.publisher}
            {catalogApp.verifiedPublisher ? " · verified publisher" : " · publisher not verified"}
          </p>
        )}
      </PageHeader>

      {explanation && (
        <section aria-labelledby="error-title" className="rounded border border-slate-200 bg-white p-4 text-sm" data-testid="pasted-error">
          <h2 id="error-title" className="font-semibold">
            {explanation.code}: {explanation.title}
          </h2>
          <p className="mt-1">{explanation.meaning}</p>
          {(pasted.cid || pasted.ts) && (
            <p className="mt-1 text-slate-600">
              {pasted.cid && <>Correlation ID {pasted.cid}. </>}
              {pasted.ts && <>Time {pasted.ts}.</>} Keep these if you contact your help desk.
            </p>
          )}
        </section>
      )}

      {status ? (
        // Already asked (here or on Entra's screen): the next step is the decision, not a second request.
        <StatusCard status={(openRequest || waitingInEntra) && status.canRequest ? { ...status, nextStep: "Wait for an admin's decision on the request you already made (below). You will see it here and on My apps." } : status} />
      ) : (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-red-800">
          The portal could not read your organization&apos;s settings right now. Try again in a moment.
        </p>
      )}

      {waitingInEntra && (
        <p className="rounded bg-slate-100 px-3 py-2" data-testid="already-requested">
          You already asked for approval of {appName} when signing in (Entra&apos;s “Approval required” screen) on {waitingInEntra.createdAt.toISOString().slice(0, 10)}. It is waiting for
          an admin: you will see the decision on <Link href="/my-apps" className="text-brand underline">My apps</Link>.
        </p>
      )}
      {status?.canRequest &&
        !waitingInEntra &&
        (catalogApp || status.toRequest.length > 0 ? (
          <section aria-labelledby="request-title" className="space-y-3 rounded border border-slate-200 bg-white p-4">
            <h2 id="request-title" className="text-lg font-semibold">
              Request approval
            </h2>
            <p className="text-sm text-slate-600">An admin reviews what the app asks for that is not yet approved for everyone, and grants it or tells you why not.</p>
            <RequestForm
              appId={appId.data}
              appName={appName}
              delegated={status.toRequest.filter((m) => m.kind === "delegated").map((m) => `${m.resourceAppId}|${m.value}`)}
              appRoles={status.toRequest.filter((m) => m.kind === "application").map((m) => `${m.resourceAppId}|${m.value}`)}
              existing={openRequest ? { id: openRequest.id, createdOn: openRequest.createdAt.toISOString().slice(0, 10) } : null}
            />
          </section>
        ) : (
          <p className="rounded bg-slate-100 px-3 py-2" data-testid="permissions-unknown">
            The portal cannot tell what {appName} asks for: it is not in the portal&apos;s catalog. Paste the address of the app&apos;s Microsoft sign-in page (it lists the
            permissions) on <Link href="/my-apps" className="underline">My apps</Link>, or ask your IT help desk to add the app.
          </p>
        ))}
      {describeOnly && !waitingInEntra && (
        <section aria-labelledby="request-title" className="space-y-3 rounded border border-slate-200 bg-white p-4" data-testid="describe-request">
          <h2 id="request-title" className="text-lg font-semibold">
            Request approval
          </h2>
          <p className="text-sm text-slate-600" data-testid="permissions-unknown">
            The portal cannot read which permissions {appName} asks for. For the most precise request, paste the address of the app&apos;s Microsoft sign-in page (it lists
            them) on <Link href="/my-apps" className="underline">My apps</Link>. Or ask here in words: say what you use the app for, and an admin finds out what it needs.
          </p>
          <RequestForm
            appId={appId.data}
            appName={appName}
            delegated={[]}
            appRoles={[]}
            described
            existing={openRequest ? { id: openRequest.id, createdOn: openRequest.createdAt.toISOString().slice(0, 10) } : null}
          />
        </section>
      )}
    </div>
  );
}
