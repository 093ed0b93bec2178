import Link from "next/link";
import type { InventoryHeadline } from "@/lib/inventory/headline";

type Changes = { new: number; changed: number; gone: number; outsidePortal: number } | null;

/** The inventory's headline numbers, each a link to the rows behind it. */
export function HeadlineStats({ headline, changes }: { headline: InventoryHeadline; changes: Changes }) {
  const stats = [
    { label: "Apps at high or critical risk", value: headline.riskyApps, href: "/inventory?sort=risk", testId: "headline-risky" },
    { label: "Apps unused", value: headline.unusedApps, href: "/inventory/findings?kind=unused", testId: "headline-unused" },
    { label: "Findings", value: headline.findings, href: "/inventory/findings", testId: "headline-findings" },
    ...(changes ? [{ label: "New or changed since the scan before", value: changes.new + changes.changed, href: "/inventory?change=any", testId: "headline-changed" }] : []),
  ];
  return (
    <section aria-label="Headline numbers">
      <ul className="grid gap-3 sm:grid-cols-4">
        {stats.map((stat) => (
          <li key={stat.label} className="rounded-lg border border-slate-200 bg-white p-3">
            <Link href={stat.href} className="block">
              <span className="block text-2xl font-semibold tabular-nums" data-testid={stat.testId}>
                {stat.value}
              </span>
              <span className="text-sm text-brand underline">{stat.label}</span>
            </Link>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-slate-600">
        As of the scan finished <time dateTime={headline.scannedAt.toISOString()}>{headline.scannedAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>
        {changes && changes.gone > 0 && <> · {changes.gone} {changes.gone === 1 ? "app" : "apps"} lost all consent since the scan before</>}
        {changes && changes.outsidePortal > 0 && <> · {changes.outsidePortal} {changes.outsidePortal === 1 ? "app was" : "apps were"} granted consent outside the portal</>}
      </p>
    </section>
  );
}
