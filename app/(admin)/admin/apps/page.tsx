import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";
import { RiskBadge } from "@/components/wizard/risk-badge";
import { requireRole } from "@/lib/auth/guards";
import { listCatalog } from "@/lib/catalog";
import { resourceName } from "@/lib/permissions";
import { AddAppForm } from "./_components/add-app-form";
import { catalogHref, catalogQuerySchema, queryCatalog, SORTS } from "./_components/catalog-query";
import { TenantApps } from "./_components/tenant-apps";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Apps" };

const SORT_LABELS = { name: "Name", risk: "Riskiest first", publisher: "Publisher" } as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CatalogPage({ searchParams }: Props) {
  const user = await requireRole(["admin"], "/admin/apps");
  const raw = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const query = catalogQuerySchema.parse({ q: first(raw.q), sort: first(raw.sort), page: first(raw.page) });
  const apps = await listCatalog();
  const shown = queryCatalog(apps, query);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Apps"
        subtitle="Third-party apps the portal knows, with the permissions their vendors say they need. Open one to see its state in your tenant and to grant, restrict or revoke consent."
      />
      <form method="get" action="/admin/apps" role="search" aria-label="Find an app" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="min-w-48 flex-1">
          <label htmlFor="apps-q" className="block text-xs font-medium text-slate-700">
            Search by name, publisher or app ID
          </label>
          <input id="apps-q" name="q" type="search" defaultValue={query.q} className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm" />
        </div>
        <div>
          <label htmlFor="apps-sort" className="block text-xs font-medium text-slate-700">
            Order
          </label>
          <select id="apps-sort" name="sort" defaultValue={query.sort} className="mt-1 rounded border border-slate-300 px-2 py-1 text-sm">
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded bg-brand px-3 py-1.5 text-sm text-white hover:bg-brand-dark">
          Show
        </button>
        {(query.q || query.sort !== "name") && (
          <Link href="/admin/apps" className="text-sm text-slate-700 underline">
            Clear
          </Link>
        )}
      </form>
      <p className="text-sm text-slate-700" data-testid="catalog-total">
        {shown.total === apps.length ? `${apps.length} ${apps.length === 1 ? "app" : "apps"}` : `${shown.total} of ${apps.length} apps match “${query.q}”`}
        {shown.pages > 1 && ` · page ${shown.page} of ${shown.pages}`}
      </p>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="catalog">
        {shown.items.map((app) => (
          <li key={app.appId}>
            <Link href={`/admin/apps/${app.appId}`} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand">
              <span className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">{app.displayName}</span>
                <RiskBadge level={app.risk} />
              </span>
              <span className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                {app.publisher ?? "Unknown publisher"}
                {app.verifiedPublisher ? (
                  <span className="rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">Verified publisher</span>
                ) : (
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900">Publisher not verified</span>
                )}
                {app.source === "added by an admin" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Added by an admin</span>}
              </span>
              <span className="mt-1 block text-xs text-slate-500">
                {app.permissions.map((p) => `${resourceName(p.resourceAppId)}: ${p.scopes.length} delegated, ${p.appRoles.length} application`).join(" · ")}
              </span>
              {app.article && <span className="mt-1 block text-xs text-slate-500">From: {app.article}</span>}
            </Link>
          </li>
        ))}
      </ul>
      {shown.total === 0 && <p className="text-sm text-slate-600">No app in the catalog matches. Add it below by its app ID or consent URL.</p>}
      {shown.pages > 1 && (
        <nav aria-label="Pages" className="flex justify-between text-sm">
          {shown.page > 1 ? (
            <Link href={catalogHref(query, { page: shown.page - 1 })} className="text-brand underline">
              ← Previous
            </Link>
          ) : (
            <span />
          )}
          {shown.page < shown.pages && (
            <Link href={catalogHref(query, { page: shown.page + 1 })} className="text-brand underline">
              Next →
            </Link>
          )}
        </nav>
      )}
      <AddAppForm />
      <section aria-labelledby="in-tenant" className="space-y-2">
        <h2 id="in-tenant" className="text-lg font-semibold">
          Already in your tenant, not in the catalog
        </h2>
        <Suspense fallback={<LoadingPlaceholder className="h-10" label="Reading your tenant’s apps…" />}>
          <TenantApps user={user} known={apps.map((app) => app.appId)} />
        </Suspense>
      </section>
    </div>
  );
}
