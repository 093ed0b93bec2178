const STYLE: Record<string, string> = {
  intended: "bg-slate-100 text-slate-700",
  succeeded: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
  partial: "bg-amber-50 text-amber-900",
};

export function OutcomeBadge({ outcome }: { outcome: string }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${STYLE[outcome] ?? STYLE.intended}`}>{outcome}</span>;
}

/** UTC, to the second, always: reviewers compare times across regions and with Entra's log. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
