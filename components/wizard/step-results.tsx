import type { StepResult } from "@/lib/consent/engine/run-step";

const LOOK: Record<StepResult["status"], { label: string; style: string }> = {
  done: { label: "Done", style: "bg-green-100 text-green-900" },
  unchanged: { label: "Unchanged", style: "bg-slate-100 text-slate-700" },
  blocked: { label: "Blocked", style: "bg-amber-100 text-amber-900" },
  partial: { label: "Partial — retry", style: "bg-amber-100 text-amber-900" },
  failed: { label: "Failed", style: "bg-red-100 text-red-900" },
};

/** The result page's list of changes, each with what happened. */
export function StepResults({ steps }: { steps: StepResult[] }) {
  return (
    <ul className="space-y-2" data-testid="step-results">
      {steps.map((step, i) => (
        <li key={i} className="rounded border border-slate-200 bg-white p-3">
          <div className="flex flex-wrap items-center gap-2">
            <span className={`rounded px-2 py-0.5 text-xs font-medium ${LOOK[step.status].style}`}>{LOOK[step.status].label}</span>
            <span className="font-medium">{step.label}</span>
          </div>
          <p className="mt-1 text-sm text-slate-700">{step.detail}</p>
        </li>
      ))}
    </ul>
  );
}
