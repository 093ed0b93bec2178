import Link from "next/link";

const TABS = [
  { href: "/inventory", label: "Apps" },
  { href: "/inventory/findings", label: "Findings" },
  { href: "/inventory/drift", label: "Drift" },
  { href: "/inventory/posture", label: "Posture" },
] as const;

/** The inventory's sections; the current one is marked for screen readers too. */
export function InventoryNav({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Inventory sections" className="flex gap-1 border-b border-slate-200 text-sm">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`rounded-t px-3 py-1.5 ${tab.href === current ? "border border-b-white border-slate-200 bg-white font-medium" : "text-brand hover:underline"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
