import { RiskBadge } from "@/components/wizard/risk-badge";
import type { RiskLevel } from "@/lib/permissions";

const LEVELS: readonly string[] = ["Critical", "High", "Medium", "Low", "Unrated"];

/** A finding's severity in the same colours and words as a permission's risk. */
export function SeverityBadge({ severity }: { severity: string }) {
  return <RiskBadge level={(LEVELS.includes(severity) ? severity : "Unrated") as RiskLevel} />;
}
