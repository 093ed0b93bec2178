import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/guards";
import { listCatalog } from "@/lib/catalog";
import { parsePasted, statusHref } from "@/lib/self-service/pasted";
import { listMyEntraRequests, type MyEntraRequest } from "@/lib/self-service/entra-requests-of-user";
import { listMyRequests } from "@/lib/self-service/requests";
import { searchAppsAsPortal } from "@/lib/self-service/tenant-facts";
import { pastedTextSchema } from "@/lib/validations/self-service";
import { MyEntraRequestList } from "./_components/entra-request-list";
import { MyRequestList } from "./_components/request-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "My apps" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function UserHomePage({ searchParams }: Props) {
  const user = await requireUser("/my-apps");
  const raw = (await searchParams).q;
  const parsed = pastedTextSchema.safeParse(Array.isArray(raw) ? raw[0] : raw);
  const q = parsed.success ? parsed.data : "";
  const details = q ? parsePasted(q) : null;
  if (details?.appId) redirect(statusHref(details.appId, details));

  // Free text that names no app ID: a name search, unless it only carried error details.
  const searchable = q && !details?.code && !details?.correlationId && !/https?:\/\//i.test(q) && q.length <= 100;
  const matches = searchable ? await searchAppsAsPortal(await listCatalog(), q) : [];
  // Entra's requests are read from Graph: if that fails, the portal's own list still shows, and says what is missing.
  const [requests, entraRequests] = await Promise.all([listMyRequests(user), listMyEntraRequests(user).catch((): MyEntraRequest[] | null => null)]);

  return (
    <div className="space-y-8">
      <PageHeader title={`Hello, ${user.name}`} subtitle="Find out whether an app you need is approved in your organization, and ask for approval if it is not." />

      <section aria-labelledby="check" className="space-y-3">
        <h2 id="check" className="text-lg font-semibold">
          Is my app approved?
        </h2>
        <form method="get" className="space-y-2">
          <label htmlFor="q" className="block text-sm text-slate-700">
            App name or app ID, or paste the “Need admin approval” details or the sign-in page&apos;s URL
          </label>
          <textarea
            id="q"
            name="q"
            rows={3}
            maxLength={4000}
            defaultValue={q}
            aria-describedby={parsed.success ? undefined : "q-error"}
            className="w-full rounded border border-slate-300 p-2"
          />
          {!parsed.success && (
            <p id="q-error" role="alert" className="text-sm text-red-700">
              {parsed.error.issues[0]?.message}
            </p>
          )}
          <button type="submit" className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Check
          </button>
        </form>
        {q && !searchable && !details?.appId && (
          <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-amber-900" data-testid="no-app-found">
            That text does not say which app it is about (no app ID or client_id).{" "}
            {details?.code && (
              <Link href={`/my-apps/troubleshoot?q=${encodeURIComponent(q)}`} className="underline">
                Explain {details.code}
              </Link>
            )}
          </p>
        )}
        {searchable && (
          <div data-testid="search-results">
            {matches.length === 0 ? (
              <p className="text-sm text-slate-600">No app in the catalog or your organization matches “{q}”.</p>
            ) : (
              <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
                {matches.map((m) => (
                  <li key={m.appId} className="p-3 text-sm">
                    <Link href={`/my-apps/apps/${m.appId}`} className="font-medium text-brand underline">
                      {m.displayName}
                    </Link>
                    <span className="ml-2 text-slate-600">
                      {m.publisher ?? "Unknown publisher"} · {m.inTenant ? "in your organization" : "not added to your organization yet"}
                    </span>
                    <span className="block font-mono text-xs text-slate-500">{m.appId}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>

      <section aria-labelledby="requests" className="space-y-3">
        <h2 id="requests" className="text-lg font-semibold">
          My approval requests
        </h2>
        {(requests.length > 0 || !entraRequests?.length) && <MyRequestList requests={requests} />}
        {entraRequests && entraRequests.length > 0 && <MyEntraRequestList requests={entraRequests} />}
        {entraRequests === null && (
          <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="entra-requests-unavailable">
            The requests you made on Entra&apos;s “Approval required” screen could not be read right now. Reload the page in a moment.
          </p>
        )}
      </section>

      <p>
        <Link href="/my-apps/troubleshoot" className="text-brand underline">
          Troubleshoot a sign-in error
        </Link>{" "}
        <span className="text-slate-600">— paste an AADSTS error code and get the next step in plain words.</span>
      </p>
    </div>
  );
}
