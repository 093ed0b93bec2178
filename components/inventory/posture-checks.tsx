import Link from "next/link";
import type { PostureCheck } from "@/lib/inventory/types";

const STATUS: Record<PostureCheck["status"], { label: string; style: string }> = {
  pass: { label: "Meets", style: "bg-green-100 text-green-900" },
  fail: { label: "Does not meet", style: "bg-red-100 text-red-900" },
  unknown: { label: "Unknown", style: "bg-slate-100 text-slate-700" },
};

/** Each check: expected against actual, the verdict in words (not only colour), and the wizard that fixes it. */
export function PostureChecks({ checks, canFix }: { checks: PostureCheck[]; canFix: boolean }) {
  const failing = checks.filter((check) => check.status === "fail").length;
  return (
    <section aria-labelledby="checks-heading" className="space-y-3">
      <h2 id="checks-heading" className="text-lg font-semibold">
        Checks <span className="text-sm font-normal text-slate-600">({failing === 0 ? "none failing" : `${failing} of ${checks.length} not met`})</span>
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm" data-testid="posture-checks">
          <caption className="sr-only">Posture checks: expected setting, the tenant&apos;s setting, verdict and fix</caption>
          <thead className="bg-slate-50 text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">Check</th>
              <th scope="col" className="px-3 py-2">Expected</th>
              <th scope="col" className="px-3 py-2">Actual</th>
              <th scope="col" className="px-3 py-2">Verdict</th>
              <th scope="col" className="px-3 py-2">Fix</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((check) => (
              <tr key={check.id} className="border-t border-slate-100 align-top" data-testid="posture-check" data-status={check.status}>
                <th scope="row" className="px-3 py-2 font-medium">
                  {check.title}
                  <a href={check.source} className="block text-xs font-normal text-brand underline" rel="noreferrer" target="_blank">
                    Source<span className="sr-only"> of “{check.title}” (opens in a new tab)</span>
                  </a>
                </th>
                <td className="px-3 py-2">{check.expected}</td>
                <td className="px-3 py-2">{check.actual}</td>
                <td className="px-3 py-2">
                  <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS[check.status].style}`}>{STATUS[check.status].label}</span>
                </td>
                <td className="px-3 py-2">
                  {check.status === "pass" ? (
                    <span className="text-slate-500">—</span>
                  ) : canFix ? (
                    <Link href={check.fixHref} className="text-brand underline">
                      Fix<span className="sr-only"> “{check.title}” in its wizard</span>
                    </Link>
                  ) : (
                    <span className="text-slate-600">
                      An admin fixes it in <span className="break-all font-mono text-xs">{check.fixHref.split("?")[0]}</span>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
