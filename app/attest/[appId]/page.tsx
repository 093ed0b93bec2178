import type { Metadata } from "next";
import Link from "next/link";
import { PermissionList } from "@/components/permissions/permission-list";
import { AttestForm } from "@/components/recertification/attest-form";
import { StateBadge } from "@/components/recertification/state-badge";
import { requireUser } from "@/lib/auth/guards";
import { listedPermission } from "@/lib/permission-items";
import { mayAttest, recertificationItem } from "@/lib/recertification/query";
import { guid } from "@/lib/validations/common";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Re-attest an app" };

const day = (at: Date) => at.toISOString().slice(0, 10);

/** The reminder mail's link: the app, what was approved for it, and the one decision. */
export default async function AttestPage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: raw } = await params;
  const user = await requireUser(`/attest/${encodeURIComponent(raw)}`);
  const appId = guid.safeParse(raw);
  const item = appId.success ? await recertificationItem(appId.data) : null;
  if (!item) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">Re-attest an app</h1>
        <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-amber-900" data-testid="attest-unknown">
          No app with an approved baseline has this ID. The link may be incomplete: open it again from the mail.
        </p>
      </div>
    );
  }
  const { row } = item;
  if (!mayAttest(user, row)) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold">Re-attest {row.displayName}</h1>
        <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-amber-900" data-testid="attest-not-allowed">
          Only the app&apos;s named owner{row.ownerName ? ` (${row.ownerName})` : ""}, reviewers and admins can attest it. You are signed in as {user.upn}.
        </p>
      </div>
    );
  }
  const items = item.permissions.map((p) => listedPermission(p.resourceAppId, p.consentType === "Application" ? "application" : "delegated", p.value, p.resourceName));
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Re-attest ${row.displayName}`}
        subtitle="Is the consent approved for this app still needed, with these permissions? Your answer is recorded with your name in the audit trail."
      />
      <dl className="grid grid-cols-1 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]" data-testid="attest-facts">
        <dt className="text-slate-500">Status</dt>
        <dd>
          <StateBadge state={item.state} /> due on <span data-testid="attest-due">{day(row.dueAt)}</span>
        </dd>
        <dt className="text-slate-500">Owner</dt>
        <dd>{row.ownerName ? `${row.ownerName} (${row.ownerUpn})` : "No named owner: reviewers re-attest"}</dd>
        <dt className="text-slate-500">Risk level</dt>
        <dd>
          {row.riskLevel} · re-attested every {item.periodDays} days
        </dd>
        <dt className="text-slate-500">Last attested</dt>
        <dd>{row.lastAttestedAt ? `${day(row.lastAttestedAt)} by ${row.lastAttestedByUpn}` : "Never since it was approved"}</dd>
        {item.revokesAt && (
          <>
            <dt className="text-slate-500">Automatic revocation</dt>
            <dd className="text-red-800">On {day(item.revokesAt)} unless re-attested</dd>
          </>
        )}
      </dl>
      {item.unusedDays !== null && (
        <p className="rounded bg-amber-50 px-3 py-2 text-amber-900" data-testid="attest-unused">
          Nobody has signed in to {row.displayName} for {item.unusedDays} days (the sign-in log of the latest inventory scan). Unless it is still needed, propose that its consent be revoked.
        </p>
      )}
      <section aria-labelledby="approved">
        <h2 id="approved" className="text-lg font-semibold">
          Approved permissions (baseline version {item.baselineVersion})
        </h2>
        {items.length === 0 ? <p className="text-sm text-slate-600">Nothing is approved any more.</p> : <PermissionList items={items} testId="attest-permissions" />}
      </section>
      {row.revokedAt ? (
        <p className="rounded bg-slate-100 px-3 py-2" data-testid="attest-revoked">
          Its consent was revoked on {day(row.revokedAt)}: there is nothing to re-attest. An admin can grant it again through the portal.
        </p>
      ) : (
        <AttestForm appId={row.appId} appName={row.displayName} unused={item.unusedDays !== null} />
      )}
      {user.role !== "user" && (
        <Link href="/review/recertification" className="text-sm text-brand underline">
          Recertification dashboard
        </Link>
      )}
    </div>
  );
}
