"use client";

import { useActionState } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { ConfirmForm } from "@/components/wizard/confirm-form";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { restrictAndAssignAction } from "../actions";

type Props = {
  appId: string;
  chosen: { req: string; signin: string; vis: string; a: string[]; x: string[]; role?: string };
  /** The same choice's preview again: re-planned from the tenant, so only what is left is done. */
  retryHref: string;
  disabled: boolean;
  /** What the button does, in words: "For Nylas: require assignment and assign 2 users or groups". */
  label: string;
  /** The preview: shown until the change is made, then replaced by the result (the page re-renders with the new state). */
  children: React.ReactNode;
};

/** Confirm with a justification, then the result: every change and every Graph call. */
export function ConfirmAccessForm({ children, appId, chosen, retryHref, disabled, label }: Props) {
  const [state, action] = useActionState(restrictAndAssignAction, null);
  if (state?.ok) {
    return <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} retryHref={retryHref} />;
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <ConfirmForm
        action={action}
        fields={{ appId, ...chosen }}
        label={label}
        pendingText="Applying…"
        disabled={disabled}
        justificationErrors={state?.ok === false ? state.fieldErrors?.justification : undefined}
        error={state?.ok === false ? state.message : null}
      />
    </div>
  );
}
