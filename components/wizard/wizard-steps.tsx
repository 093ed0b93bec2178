const STEPS = ["Choose", "Preview", "Confirm", "Result"] as const;
export type WizardStep = (typeof STEPS)[number];

/** Where the admin is in the wizard's rhythm: pick → preview → confirm → result. */
export function WizardSteps({ current }: { current: WizardStep }) {
  const index = STEPS.indexOf(current);
  return (
    <ol className="flex flex-wrap gap-2 text-sm" aria-label="Wizard steps">
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
