import type { UserConsentPlan } from "@/lib/consent/user-consent/plan";

/** The exact permissionGrantPoliciesAssigned list Graph will get, each entry marked. */
export function EntriesDiff({ plan }: { plan: UserConsentPlan }) {
  const rows = [
    ...plan.removed.map((entry) => ({ entry, status: "removed" })),
    ...plan.added.map((entry) => ({ entry, status: "added" })),
    ...plan.kept.map((entry) => ({ entry, status: "kept untouched" })),
  ];
  return (
    <details className="rounded-lg border border-slate-200 bg-white p-4" open>
      <summary className="cursor-pointer font-semibold">What Microsoft Graph gets: permissionGrantPoliciesAssigned</summary>
      <table className="mt-2 w-full text-left text-sm" data-testid="entries-diff">
        <tbody>
          {rows.map(({ entry, status }) => (
            <tr key={`${status}-${entry}`} className="border-t border-slate-100">
              <td className="py-1 pr-3 font-mono text-xs break-all">{entry}</td>
              <td className={`py-1 ${status === "removed" ? "text-red-700" : status === "added" ? "text-green-800" : "text-slate-600"}`}>{status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
