const STEPS = ["Choose", "Preview", "Result"] as const;
export type WizardStep = (typeof STEPS)[number];

/**
 * Where the admin is in every wizard, app or policy: choose → preview (where the change is confirmed,
 * with a justification) → result. One bar for all of them, so each wizard reads the same way.
 */
export function WizardSteps({ current }: { current: WizardStep }) {
  const index = STEPS.indexOf(current);
  return (
    <ol className="flex flex-wrap gap-2 text-sm" aria-label="Wizard steps" data-testid="wizard-steps">
      {STEPS.map((step, i) => (
        <li
          key={step}
          aria-current={i === index ? "step" : undefined}
          className={`rounded-full px-3 py-1 ${i === index ? "bg-brand text-white" : i < index ? "bg-slate-200 text-slate-800" : "bg-slate-100 text-slate-600"}`}
        >
          {i + 1}. {step}
        </li>
      ))}
    </ol>
  );
}
