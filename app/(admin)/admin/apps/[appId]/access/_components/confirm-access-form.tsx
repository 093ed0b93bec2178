"use client";

import { useActionState } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { HiddenFields } from "@/components/wizard/hidden-fields";
import { JustificationField } from "@/components/wizard/justification-field";
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
    return <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} retryHref={retryHref} />;
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <form action={action} className="space-y-4">
        <HiddenFields fields={{ appId, ...chosen }} />
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
