type Point = { at: string; apps: number; grants: number };

const W = 320;
const H = 120;
const PAD = 24;

/**
 * Grants (delegated grants and application permissions) and apps with consent, per completed scan, as two lines in plain SVG. The SVG is
 * named and described; the same numbers are in a table under a disclosure for anyone who cannot see it.
 */
export function GrantsChart({ points }: { points: Point[] }) {
  if (points.length === 0) return null;
  const max = Math.max(1, ...points.map((p) => Math.max(p.apps, p.grants)));
  const x = (i: number) => (points.length === 1 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (points.length - 1));
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const line = (pick: (p: Point) => number) => points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(" ");
  const last = points.at(-1)!;
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" data-testid="grants-chart">
      <figcaption className="text-sm font-semibold">Consent over time (per completed scan)</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="mt-2 h-32 w-full" role="img" aria-labelledby="grants-chart-title grants-chart-desc">
        <title id="grants-chart-title">Grants and apps with consent, per scan</title>
        <desc id="grants-chart-desc">
          {`${points.length} scans; the newest found ${last.grants} grants for ${last.apps} apps.`}
        </desc>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#cbd5e1" />
        <text x={PAD - 4} y={y(max) + 4} fontSize="9" textAnchor="end" fill="#475569">
          {max}
        </text>
        <text x={PAD - 4} y={H - PAD + 3} fontSize="9" textAnchor="end" fill="#475569">
          0
        </text>
        <path d={line((p) => p.grants)} fill="none" stroke="#0f6cbd" strokeWidth="2" />
        <path d={line((p) => p.apps)} fill="none" stroke="#c2410c" strokeWidth="2" strokeDasharray="4 3" />
        {points.map((p, i) => (
          <g key={p.at}>
            <circle cx={x(i)} cy={y(p.grants)} r="2.5" fill="#0f6cbd" />
            <circle cx={x(i)} cy={y(p.apps)} r="2.5" fill="#c2410c" />
          </g>
        ))}
      </svg>
      <p className="mt-1 flex gap-4 text-xs text-slate-700">
        <span>
          <span aria-hidden="true" className="text-brand">━</span> grants (delegated and application)
        </span>
        <span>
          <span aria-hidden="true" className="text-orange-700">┅</span> apps with consent
        </span>
      </p>
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-brand">The numbers</summary>
        <table className="mt-1 w-full text-left">
          <thead>
            <tr>
              <th scope="col">Scan finished (UTC)</th>
              <th scope="col">Apps</th>
              <th scope="col">Grants</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.at}>
                <td>{p.at.slice(0, 16).replace("T", " ")}</td>
                <td>{p.apps}</td>
                <td>{p.grants}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
