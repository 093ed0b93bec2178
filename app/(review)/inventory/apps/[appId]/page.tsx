import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdoptForm } from "@/components/baseline/adopt-form";
import { BaselineCard } from "@/components/baseline/baseline-card";
import { PageHeader } from "@/components/ui/page-header";
import { previewAdoption } from "@/lib/baseline/adopt";
import { readBaseline } from "@/lib/baseline/store";
import { requireRole } from "@/lib/auth/guards";
import { findCatalogApp } from "@/lib/catalog";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { guid } from "@/lib/validations/common";
import { adoptIntoBaselineAction } from "./actions";

export const metadata: Metadata = { title: "Approved baseline" };

/**
 * One app of the inventory against its approved baseline. Reviewers read it; admins can adopt what the
 * tenant grants now (read live through Graph) — for apps consented before the portal or outside it.
 */
export default async function InventoryAppPage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: raw } = await params;
  const user = await requireRole(["reviewer", "admin"], `/inventory/apps/${raw}`);
  const parsed = guid.safeParse(raw);
  if (!parsed.success) notFound();
  const appId = parsed.data;
  const isAdmin = user.role === "admin";
  const [baseline, preview, catalog] = await Promise.all([readBaseline(appId), isAdmin ? readAsUser(user, (graph) => previewAdoption(graph, appId)) : null, findCatalogApp(appId)]);
  const name = preview?.inTenant ? preview.displayName : (baseline?.displayName ?? catalog?.displayName ?? appId);

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/inventory", label: "Consent inventory" }}
        title={name}
        subtitle={
          <>
            App ID <span className="font-mono text-sm">{appId}</span>
            {isAdmin && catalog && (
              <>
                {" · "}
                <Link href={`/admin/apps/${appId}`} className="text-brand underline">
                  Manage in the catalog
                </Link>
              </>
            )}
          </>
        }
      />
      <BaselineCard baseline={baseline} appId={appId}>
        {preview && <AdoptSection preview={preview} />}
      </BaselineCard>
    </div>
  );

  function AdoptSection({ preview }: { preview: NonNullable<Awaited<ReturnType<typeof previewAdoption>>> }) {
    if (!preview.inTenant) return <p className="text-sm text-slate-600">The app is not in the tenant now, so there is nothing it holds to adopt.</p>;
    if (preview.permissions.length === 0) return <p className="text-sm text-slate-600">The app holds no consent in the tenant now: there is nothing to adopt.</p>;
    if (preview.unchanged) return <p className="text-sm text-slate-600" data-testid="baseline-matches">The baseline is exactly what the tenant grants now.</p>;
    return (
      <AdoptForm
        action={adoptIntoBaselineAction}
        appId={preview.appId}
        appName={preview.displayName}
        fingerprint={preview.fingerprint}
        permissions={preview.permissions}
        adds={preview.adds}
        drops={preview.drops}
        hasBaseline={preview.current !== null}
      />
    );
  }
}
