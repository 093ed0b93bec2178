import type { RiskLevel } from "@/lib/permissions";

const STYLE: Record<RiskLevel, string> = {
  Critical: "bg-red-100 text-red-900",
  High: "bg-orange-100 text-orange-900",
  Medium: "bg-amber-100 text-amber-900",
  Low: "bg-green-100 text-green-900",
  Unrated: "bg-slate-100 text-slate-700",
};

export function RiskBadge({ level }: { level: RiskLevel }) {
  return <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STYLE[level]}`}>{level === "Unrated" ? "Risk not rated" : `${level} risk`}</span>;
}
