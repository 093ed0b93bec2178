import Link from "next/link";

const FILL: Record<string, string> = { Critical: "#b91c1c", High: "#c2410c", Medium: "#b45309", Low: "#15803d", Unrated: "#64748b" };

/**
 * Apps by risk level as horizontal bars: plain SVG (no chart library in the first-load JS). The SVG is
 * a picture with a name; the numbers themselves are the list beside each bar, which screen readers
 * read, and each level links to the table filtered to it.
 */
export function RiskChart({ counts }: { counts: { level: string; count: number }[] }) {
  const max = Math.max(1, ...counts.map((c) => c.count));
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-testid="risk-chart">
      <figcaption className="text-sm font-semibold">Apps by risk level ({total} in all)</figcaption>
      <ul className="mt-3 space-y-1.5">
        {counts.map(({ level, count }) => (
          <li key={level} className="grid grid-cols-[6rem_1fr_3rem] items-center gap-2 text-sm">
            <Link href={`/inventory?level=${level}`} className="text-brand underline">
              {level}
            </Link>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="h-4 w-full" aria-hidden="true" focusable="false">
              <rect x="0" y="0" width="100" height="10" fill="#f1f5f9" />
              <rect x="0" y="0" width={(count / max) * 100} height="10" fill={FILL[level] ?? "#64748b"} />
            </svg>
            <span className="text-right tabular-nums" data-testid={`risk-count-${level}`}>
              {count}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
