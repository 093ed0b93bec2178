import type { Metadata } from "next";
import Link from "next/link";
import { GrantPreview } from "@/app/(admin)/admin/apps/[appId]/(catalog)/grant/_components/grant-preview";
import { RevokePreview } from "@/app/(admin)/admin/apps/[appId]/revoke/_components/revoke-preview";
import { RevertDriftForm } from "@/components/baseline/revert-drift-form";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { requireRole } from "@/lib/auth/guards";
import { revertPlanFor } from "@/lib/baseline/drift-resolve";
import { DRIFT_KIND_LABELS, findDrift } from "@/lib/baseline/drift-portal";
import { isInCatalog } from "@/lib/catalog";
import { isRefusal, previewWizard, readAsUser } from "@/lib/consent/engine/wizard";
import { grantWizard } from "@/lib/consent/grant";
import { revokeWizard } from "@/lib/consent/revoke";
import { revokeQuery } from "@/lib/consent/revoke/schema";
import { guid } from "@/lib/validations/common";
import { revertDriftAction } from "../actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Revert drift" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Reverting one drift: the revoke wizard (what was added outside the portal) or the grant wizard (what
 * was removed) previews the change from the tenant as it is now, preselected with the drift's
 * permissions; confirming runs that wizard's steps, and the drift closes once the tenant, read back,
 * matches the baseline.
 */
export default async function RevertDriftPage({ searchParams }: Props) {
  const raw = (await searchParams).drift;
  const id = guid.safeParse(typeof raw === "string" ? raw : "");
  const user = await requireRole(["admin"], `/inventory/drift/revert${id.success ? `?drift=${id.data}` : ""}`);
  const drift = id.success ? await findDrift(id.data) : null;
  if (!drift) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">Revert drift</h1>
        <InventoryNav current="/inventory/drift" />
        <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="no-such-drift">
          There is no such drift. <Link href="/inventory/drift" className="text-brand underline">See the open drift</Link>.
        </p>
      </div>
    );
  }
  const here = `/inventory/drift/revert?drift=${drift.id}`;

  return (
    <div className="space-y-6">
      <PageHeader
        back={{ href: "/inventory/drift", label: "Drift" }}
        title={`Revert: ${drift.appName}`}
        subtitle={
          <>
            <span className="font-medium">{DRIFT_KIND_LABELS[drift.kind]}.</span> {drift.detail}
          </>
        }
      />
      <InventoryNav current="/inventory/drift" />
      <Body />
    </div>
  );

  async function Body() {
    if (drift!.status !== "open") {
      return (
        <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="drift-closed">
          This drift is closed already ({drift!.status}
          {drift!.closedByName ? ` by ${drift!.closedByName}` : ""}). <Link href="/inventory/drift" className="text-brand underline">See the open drift</Link>.
        </p>
      );
    }
    const plan = await readAsUser(user, (graph) => revertPlanFor(graph, drift!));
    if (!plan) {
      return (
        <p className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
          A publisher&apos;s verification is Microsoft&apos;s to give: the portal cannot put it back. Accept the app as it is now, or{" "}
          <Link href={`/admin/apps/${drift!.appId}/revoke`} className="text-brand underline">
            revoke its consent
          </Link>
          .
        </p>
      );
    }
    const loaded =
      plan.wizard === "revoke"
        ? await previewWizard(revokeWizard, user, { appId: drift!.appId, s: plan.s, r: plan.r, u: plan.u })
        : await previewWizard(grantWizard, user, { appId: drift!.appId, d: plan.d, r: plan.r });
    if (isRefusal(loaded)) {
      return (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {loaded.refusal}{" "}
          {/* Putting back what was removed is the grant wizard's, which needs the catalog's list of what the app asks for. */}
          {plan.wizard === "grant" && loaded.refusal.includes("catalog") && (
            <Link href="/admin/apps#in-tenant" className="text-brand underline">
              Add it to the catalog
            </Link>
          )}
        </p>
      );
    }
    const revoking = plan.wizard === "revoke";
    const changes = loaded.plan.changeCount;
    return (
      <RevertDriftForm
        action={revertDriftAction}
        driftId={drift!.id}
        appId={drift!.appId}
        retryHref={here}
        disabled={changes === 0}
        variant={revoking ? "danger" : "primary"}
        label={revoking ? `Revoke ${changes === 1 ? "1 change" : `${changes} changes`} and close the drift` : `Grant ${changes === 1 ? "1 change" : `${changes} changes`} and close the drift`}
      >
        {!isInCatalog(loaded.app) && (
          <p className="text-sm text-slate-600" data-testid="not-in-catalog">
            {loaded.app.displayName} is not in the portal&apos;s catalog: the revoke wizard works from its service principal in your tenant.
          </p>
        )}
        {"approving" in loaded ? (
          <GrantPreview plan={loaded.plan} appName={loaded.app.displayName} />
        ) : (
          <RevokePreview plan={loaded.plan} appName={loaded.app.displayName} blockHref={`/admin/apps/${drift!.appId}/revoke?${revokeQuery({ s: [], r: [], u: [], block: "yes" }, "preview")}`} />
        )}
      </RevertDriftForm>
    );
  }
}
