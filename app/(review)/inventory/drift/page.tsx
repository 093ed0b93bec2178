import type { Metadata } from "next";
import { ClosedDriftList, DriftList } from "@/components/baseline/drift-list";
import { CheckDriftButton } from "@/components/baseline/drift-forms";
import { InventoryNav } from "@/components/inventory/inventory-nav";
import { requireRole } from "@/lib/auth/guards";
import { listOpenDrifts, listRecentlyClosedDrifts } from "@/lib/baseline/drift-portal";
import { checkDriftNowAction } from "./actions";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consent drift" };

/** At most this many open drifts on the page, newest first; the mail and the next check keep the rest. */
const LIMIT = 200;

export default async function DriftPage() {
  const user = await requireRole(["reviewer", "admin"], "/inventory/drift");
  const [open, closed] = await Promise.all([listOpenDrifts({ limit: LIMIT + 1 }), listRecentlyClosedDrifts(20)]);
  const admin = user.role === "admin";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Consent drift">
          <p className="mt-1 max-w-3xl text-slate-600">
            Where the tenant differs from what the portal approved: permissions granted or removed outside the portal, apps with consent that were never
            approved, publishers no longer verified. Every inventory scan and the scheduled import of Entra&apos;s audit log look again.
            {admin ? " Accept each into the app's baseline with a justification, or revert it through the wizard's preview." : ""}
          </p>
        </PageHeader>
        {admin && <CheckDriftButton action={checkDriftNowAction} />}
      </div>
      <InventoryNav current="/inventory/drift" />
      <section aria-labelledby="open-drift" className="space-y-3">
        <h2 id="open-drift" className="text-lg font-semibold">
          Open ({open.length > LIMIT ? `${LIMIT}+` : open.length})
        </h2>
        {open.length === 0 ? (
          <p className="rounded bg-slate-100 px-3 py-2 text-sm" data-testid="no-drift">
            No open drift: the tenant holds what was approved.
          </p>
        ) : (
          <DriftList drifts={open.slice(0, LIMIT)} canAct={admin} />
        )}
      </section>
      {closed.length > 0 && (
        <section aria-labelledby="closed-drift" className="space-y-3">
          <h2 id="closed-drift" className="text-lg font-semibold">
            Closed lately
          </h2>
          <ClosedDriftList drifts={closed} />
        </section>
      )}
    </div>
  );
}
