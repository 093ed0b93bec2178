import type { RecertificationState } from "@/lib/recertification/schedule";

const STYLE: Record<RecertificationState, { label: string; className: string }> = {
  attested: { label: "Attested", className: "bg-green-100 text-green-900" },
  due: { label: "Due", className: "bg-amber-100 text-amber-900" },
  overdue: { label: "Overdue", className: "bg-red-100 text-red-900" },
  revoked: { label: "Revoked", className: "bg-slate-200 text-slate-800" },
};

/** An app's recertification state, in words and colour (the word alone carries the meaning). */
export function StateBadge({ state }: { state: RecertificationState }) {
  const { label, className } = STYLE[state];
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${className}`} data-testid="recert-state">
      {label}
    </span>
  );
}
