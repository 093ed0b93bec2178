import { USER_CONSENT_CHOICES, USER_CONSENT_OPTIONS, type UserConsentChoice } from "@/lib/consent/user-consent/plan";

/** The four options, each with its trade-off and what users will see. */
export function ConsentOptions({ current, disabled }: { current: UserConsentChoice | "custom"; disabled: boolean }) {
  return (
    <fieldset disabled={disabled} className="space-y-3" aria-describedby={disabled ? "role-reason" : undefined}>
      <legend className="font-semibold">User consent for applications</legend>
      {USER_CONSENT_CHOICES.map((choice) => {
        const option = USER_CONSENT_OPTIONS[choice];
        return (
          <label key={choice} className="flex gap-3 rounded-lg border border-slate-200 bg-white p-4 has-[:checked]:border-brand has-[:disabled]:opacity-70">
            <input type="radio" name="choice" value={choice} defaultChecked={current === choice} required className="mt-1" />
            <span className="space-y-1">
              <span className="block font-medium">
                {option.title}
                {option.recommended && <span className="ml-2 rounded bg-green-100 px-1.5 py-0.5 text-xs text-green-900">Recommended</span>}
                {current === choice && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">Current</span>}
              </span>
              <span className="block text-sm text-slate-700">{option.summary}</span>
              <span className="block text-sm text-slate-600">
                <span className="font-medium">Trade-off:</span> {option.tradeOff}
              </span>
              <span className="block text-sm text-slate-600">
                <span className="font-medium">What users see:</span> {option.forUsers}
              </span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
