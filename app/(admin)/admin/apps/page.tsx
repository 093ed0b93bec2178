import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";
import { requireRole } from "@/lib/auth/guards";
import { listCatalog } from "@/lib/catalog";
import { resourceName } from "@/lib/permissions";
import { AddAppForm } from "./_components/add-app-form";
import { TenantApps } from "./_components/tenant-apps";

export const metadata: Metadata = { title: "Apps" };

export default async function CatalogPage() {
  const user = await requireRole(["admin"], "/admin/apps");
  const apps = await listCatalog();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Apps</h1>
        <p className="text-slate-600">Third-party apps the portal knows, with the permissions their vendors say they need. Open one to see its state in your tenant and to grant, restrict or revoke consent.</p>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="catalog">
        {apps.map((app) => (
          <li key={app.appId}>
            <Link href={`/admin/apps/${app.appId}`} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand">
              <span className="font-semibold">{app.displayName}</span>
              <span className="block text-sm text-slate-600">
                {app.publisher ?? "Unknown publisher"} · {app.verifiedPublisher ? "verified publisher" : "publisher not verified"}
              </span>
              <span className="mt-1 block text-xs text-slate-500">
                {app.permissions.map((p) => `${resourceName(p.resourceAppId)}: ${p.scopes.length} delegated, ${p.appRoles.length} application`).join(" · ")}
              </span>
              {app.article && <span className="mt-1 block text-xs text-slate-500">From: {app.article}</span>}
            </Link>
          </li>
        ))}
      </ul>
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
