import Link from "next/link";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/ui/local-time";
import type { InventoryHeadline } from "@/lib/inventory/headline";

const n = new Intl.NumberFormat("en");
const plural = (count: number, one: string, many: string) => `${n.format(count)} ${count === 1 ? one : many}`;

export function Card({ title, id, children, action }: { title: string; id: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="flex flex-col rounded-lg border border-slate-200 bg-white p-4" data-testid={id}>
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={id} className="font-semibold">
          {title}
        </h2>
        {action}
      </div>
      <div className="mt-3 flex-1 text-sm">{children}</div>
    </section>
  );
}

/** Requests waiting on an admin: the portal's own and Entra's, each a link to its queue. */
export async function RequestsWaiting({ portal, entra }: { portal: Promise<number>; entra: Promise<number | null> }) {
  const [open, pending] = await Promise.all([portal, entra]);
  return (
    <ul className="space-y-2">
      <li>
        <Link href="/admin/requests" className="flex items-baseline gap-2 hover:underline">
          <span className="text-2xl font-semibold tabular-nums" data-testid="portal-requests-waiting">
            {n.format(open)}
          </span>
          <span className="text-slate-700">{open === 1 ? "request from the portal" : "requests from the portal"}</span>
        </Link>
      </li>
      <li>
        {pending === null ? (
          <span className="text-amber-800">Entra&apos;s requests could not be read from Microsoft Graph just now.</span>
        ) : (
          <Link href="/admin/entra-requests" className="flex items-baseline gap-2 hover:underline">
            <span className="text-2xl font-semibold tabular-nums" data-testid="entra-requests-waiting">
              {n.format(pending)}
            </span>
            <span className="text-slate-700">{pending === 1 ? "request from Entra's Approval required screen" : "requests from Entra's Approval required screen"}</span>
          </Link>
        )}
      </li>
    </ul>
  );
}

/** The newest inventory scan's numbers, or the way to the first scan. */
export async function InventorySummary({ headline }: { headline: Promise<InventoryHeadline | null> }) {
  const reading = await headline;
  if (!reading) {
    return (
      <p>
        No scan yet.{" "}
        <Link href="/inventory" className="font-medium text-brand underline">
          Run the first inventory scan
        </Link>{" "}
        to see every consent in the tenant, its risk, and what nobody uses.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <ul className="grid grid-cols-3 gap-2 text-center">
        {[
          [reading.riskyApps, "high-risk apps"],
          [reading.unusedApps, "unused apps"],
          [reading.findings, "findings"],
        ].map(([count, label]) => (
          <li key={label} className="rounded bg-slate-50 p-2">
            <span className="block text-xl font-semibold tabular-nums">{n.format(Number(count))}</span>
            <span className="text-xs text-slate-600">{label}</span>
          </li>
        ))}
      </ul>
      <p className="text-xs text-slate-600">
        Scanned <LocalTime iso={reading.scannedAt.toISOString()} />.{" "}
        <Link href="/inventory" className="text-brand underline">
          Open the inventory
        </Link>
      </p>
    </div>
  );
}

/** What an admin should look at now, from the other readings; "nothing" is said plainly. */
export async function NeedsAttention({
  portal,
  entra,
  unfinished,
  headline,
  recertification,
}: {
  portal: Promise<number>;
  entra: Promise<number | null>;
  unfinished: Promise<number>;
  headline: Promise<InventoryHeadline | null>;
  recertification: Promise<{ proposed: number; overdue: number }>;
}) {
  const [open, pending, broken, inventory, recert] = await Promise.all([portal, entra, unfinished, headline, recertification]);
  const items: { href: string; text: string }[] = [];
  const waiting = open + (pending ?? 0);
  if (waiting > 0) items.push({ href: open > 0 ? "/admin/requests" : "/admin/entra-requests", text: `${plural(waiting, "request waits", "requests wait")} for a decision` });
  if (recert.proposed > 0) items.push({ href: "/review/recertification?state=proposed", text: `${plural(recert.proposed, "app is", "apps are")} proposed for revocation` });
  if (recert.overdue > 0) items.push({ href: "/review/recertification?state=overdue", text: `${plural(recert.overdue, "app is", "apps are")} overdue for re-attestation` });
  if (broken > 0) items.push({ href: "/audit?outcome=failed", text: `${plural(broken, "change", "changes")} failed or only partly applied in the last 7 days` });
  if (!inventory) items.push({ href: "/inventory", text: "The tenant's consents have never been scanned" });
  else {
    if (inventory.riskyApps > 0) items.push({ href: "/inventory", text: `${plural(inventory.riskyApps, "app holds", "apps hold")} high-risk permissions` });
    if (inventory.unusedApps > 0) items.push({ href: "/inventory", text: `${plural(inventory.unusedApps, "app keeps", "apps keep")} consent nobody uses` });
  }
  if (items.length === 0) return <p className="text-slate-600">Nothing needs your attention.</p>;
  return (
    <ul className="space-y-2" data-testid="attention-list">
      {items.map((item) => (
        <li key={item.text} className="flex gap-2">
          <span aria-hidden="true" className="text-amber-600">
            ●
          </span>
          <Link href={item.href} className="hover:underline">
            {item.text}
          </Link>
        </li>
      ))}
    </ul>
  );
}
