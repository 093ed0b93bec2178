import { RiskBadge } from "@/components/wizard/risk-badge";
import type { ClassificationPlan } from "@/lib/consent/classifications/plan";
import { describePermission, MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";

/** Each permission of the change: to classify, to remove, refused (with Graph's reason) or already so. */
export function PlanTable({ plan }: { plan: ClassificationPlan }) {
  const rows = [
    // A high-risk permission marked "low impact" is not good news: it is shown as the risk it is.
    ...plan.toAdd.map((a) =>
      plan.highRisk.some((h) => h.permissionName === a.permissionName)
        ? { name: a.permissionName, what: "classify as low impact — every user could grant this high-risk permission", tone: "font-medium text-red-800" }
        : { name: a.permissionName, what: "classify as low impact", tone: "text-green-800" },
    ),
    ...plan.toRemove.map((r) => ({ name: r.permissionName, what: "remove the low-impact classification", tone: "text-red-700" })),
    ...plan.refused.map((r) => ({ name: r.permission, what: `refused — ${r.reason}`, tone: "text-red-700" })),
    ...plan.unchanged.map((u) => ({ name: u.permission, what: `no change — ${u.reason}`, tone: "text-slate-600" })),
  ];
  return (
    <table className="w-full text-left text-sm" data-testid="classification-plan">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1 pr-3 font-medium">Permission</th>
          <th className="py-1 pr-3 font-medium">What it allows</th>
          <th className="py-1 font-medium">Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const info = describePermission(MICROSOFT_GRAPH_APP_ID, "delegated", row.name);
          return (
            <tr key={row.name} className="border-t border-slate-100 align-top">
              <td className="py-1 pr-3 font-mono text-xs">{row.name}</td>
              <td className="py-1 pr-3">
                {info.displayName} <RiskBadge level={info.risk} />
              </td>
              <td className={`py-1 ${row.tone}`}>{row.what}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
