import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { TenantSummary } from "@/components/tenant-summary";
import { LoadingPlaceholder } from "@/components/ui/loading-placeholder";
import { requireRole } from "@/lib/auth/guards";
import { readTenantSummary } from "@/lib/consent/tenant-summary";
import { openPortalRequests, pendingEntraRequests, recentChanges, unfinishedChanges } from "@/lib/dashboard";
import { readInventoryHeadline } from "@/lib/inventory/headline";
import { recertificationAttention } from "@/lib/recertification/query";
import { adminCapabilities } from "@/lib/roles";
import { RecentChanges } from "@/components/audit/recent-changes";
import { Card, InventorySummary, NeedsAttention, RequestsWaiting } from "./_components/dashboard-cards";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Admin" };

const TASKS = [
  { href: "/admin/apps", label: "Grant, restrict or revoke an app's consent" },
  { href: "/admin/policies/user-consent", label: "User consent settings" },
  { href: "/admin/policies/consent-workflow", label: "Admin consent workflow" },
  { href: "/admin/policies/classifications", label: "Permission classifications" },
  { href: "/admin/policies/group-consent", label: "Group-owner consent" },
];

export default async function AdminHomePage() {
  const user = await requireRole(["admin"], "/admin");
  const capabilities = adminCapabilities(user.wids);
  const notAllowed = capabilities.filter((capability) => !capability.allowed);
  // Started together, awaited by the cards that need them: the page streams as each one answers.
  const portal = openPortalRequests();
  const entra = pendingEntraRequests(user);
  const headline = readInventoryHeadline();
  const unfinished = unfinishedChanges();
  const recertification = recertificationAttention();
  const skeleton = (label: string) => <LoadingPlaceholder className="h-16" label={label} />;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader title="Admin home">
          <Suspense fallback={<LoadingPlaceholder className="mt-1 h-5 w-72" label="Connecting to Microsoft Graph…" />}>
            <TenantSummary summary={readTenantSummary(user)} />
          </Suspense>
        </PageHeader>
        <details className="text-sm" data-testid="identity">
          <summary className="cursor-pointer text-slate-700">
            {user.upn} · <span data-testid="entra-roles">{user.entraRoles.length > 0 ? user.entraRoles.join(", ") : "None"}</span>
          </summary>
          <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 rounded border border-slate-200 bg-white p-3 text-xs">
            <dt className="text-slate-500">Object ID</dt>
            <dd className="font-mono">{user.oid}</dd>
            <dt className="text-slate-500">Tenant ID</dt>
            <dd className="font-mono">{user.tid}</dd>
          </dl>
        </details>
      </div>

      <div className="grid gap-4 md:grid-cols-3">
        <Card title="Requests waiting" id="requests-waiting">
          <Suspense fallback={skeleton("Counting requests…")}>
            <RequestsWaiting portal={portal} entra={entra} />
          </Suspense>
        </Card>
        <Card title="Needs attention" id="needs-attention">
          <Suspense fallback={skeleton("Looking for what needs attention…")}>
            <NeedsAttention portal={portal} entra={entra} unfinished={unfinished} headline={headline} recertification={recertification} />
          </Suspense>
        </Card>
        <Card title="Consent inventory" id="inventory-headline">
          <Suspense fallback={skeleton("Reading the latest inventory scan…")}>
            <InventorySummary headline={headline} />
          </Suspense>
        </Card>
      </div>

      <Card
        title="Recent changes"
        id="recent-changes"
        action={
          <Link href="/audit" className="text-sm text-brand underline">
            Full audit trail
          </Link>
        }
      >
        <Suspense fallback={skeleton("Reading the audit trail…")}>
          <RecentChanges changes={recentChanges(5)} />
        </Suspense>
      </Card>

      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Start a task" id="tasks">
          <ul className="space-y-1">
            {TASKS.map((task) => (
              <li key={task.href}>
                <Link href={task.href} className="text-brand underline">
                  {task.label}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="What your Entra role allows here" id="role">
          <ul className="space-y-1" data-testid="capabilities">
            {capabilities.map((capability) => (
              <li key={capability.label} className="flex gap-2">
                <span aria-hidden="true">{capability.allowed ? "✓" : "✕"}</span>
                <span>
                  <span className={capability.allowed ? "" : "font-medium"}>{capability.label}</span>
                  {capability.allowed ? <span className="sr-only"> — allowed</span> : <span className="text-slate-600"> — not with your role. {capability.reason}</span>}
                </span>
              </li>
            ))}
          </ul>
          {notAllowed.length === 0 && <p className="mt-2 text-xs text-slate-600">Your role may make every change the portal offers.</p>}
        </Card>
      </div>
    </div>
  );
}
