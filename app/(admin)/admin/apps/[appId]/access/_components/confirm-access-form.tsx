"use client";

import Link from "next/link";
import { useActionState } from "react";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { StepResults } from "@/components/wizard/step-results";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { SubmitButton } from "@/components/ui/submit-button";
import { restrictAndAssignAction } from "../actions";

type Props = {
  appId: string;
  chosen: { req: string; signin: string; vis: string; a: string[]; x: string[]; role?: string };
  /** The same choice's preview again: re-planned from the tenant, so only what is left is done. */
  retryHref: string;
  disabled: boolean;
  /** The preview: shown until the change is made, then replaced by the result (the page re-renders with the new state). */
  children: React.ReactNode;
};

/** Confirm with a justification, then the result: every change and every Graph call. */
export function ConfirmAccessForm({ children, appId, chosen, retryHref, disabled }: Props) {
  const [state, action] = useActionState(restrictAndAssignAction, null);
  if (state?.ok) {
    return (
      <section aria-labelledby="result" className="space-y-4">
        <WizardSteps current="Result" />
        <h2 id="result" className="text-lg font-semibold">
          Result
        </h2>
        <p role="status" data-testid="result-message" className={`rounded px-3 py-2 ${state.data.partial ? "bg-amber-50 text-amber-900" : "bg-green-50 text-green-900"}`}>
          {state.message}
        </p>
        <StepResults steps={state.data.steps} />
        {state.data.partial && (
          <a href={retryHref} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Retry the rest
          </a>
        )}
        <h3 className="font-semibold">Microsoft Graph calls</h3>
        <GraphCallList calls={state.data.calls} />
        <Link href={`/admin/apps/${appId}`} className="inline-block text-brand underline">
          See the app&apos;s state in the tenant
        </Link>
      </section>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <form action={action} className="space-y-4">
        <input type="hidden" name="appId" value={appId} />
        <input type="hidden" name="req" value={chosen.req} />
        <input type="hidden" name="signin" value={chosen.signin} />
        <input type="hidden" name="vis" value={chosen.vis} />
        {chosen.a.map((value) => (
          <input key={`a-${value}`} type="hidden" name="a" value={value} />
        ))}
        {chosen.x.map((value) => (
          <input key={`x-${value}`} type="hidden" name="x" value={value} />
        ))}
        {chosen.role && <input type="hidden" name="role" value={chosen.role} />}
        <JustificationField errors={state?.ok === false ? state.fieldErrors?.justification : undefined} />
        <div role="status" aria-live="polite">
          {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
        </div>
        <SubmitButton pendingText="Applying…" disabled={disabled}>
          Apply these changes
        </SubmitButton>
      </form>
    </div>
  );
}
