const STYLE: Record<string, string> = {
  intended: "bg-slate-100 text-slate-700",
  succeeded: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
  partial: "bg-amber-50 text-amber-900",
};

/** `alone`: an intent with no outcome after it (the change was cut short, or is still running). */
export function OutcomeBadge({ outcome, alone = false }: { outcome: string; alone?: boolean }) {
  const label = outcome === "intended" && alone ? "no outcome yet" : outcome;
  return <span className={`whitespace-nowrap rounded px-2 py-0.5 text-xs font-medium ${STYLE[outcome] ?? STYLE.intended}`}>{label}</span>;
}

