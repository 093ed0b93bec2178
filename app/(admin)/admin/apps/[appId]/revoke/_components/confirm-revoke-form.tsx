"use client";

import { useActionState } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { HiddenFields } from "@/components/wizard/hidden-fields";
import { JustificationField } from "@/components/wizard/justification-field";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { SubmitButton } from "@/components/ui/submit-button";
import { revokeConsentAction } from "../actions";

type Props = {
  appId: string;
  chosen: { s: string[]; r: string[]; u: string[]; del?: string };
  /** The same choice's preview again: the plan is re-read from the tenant, so only what is left is done. */
  retryHref: string;
  disabled: boolean;
  /** The preview: shown until the change is made, then replaced by the result (the page re-renders with the new state). */
  children: React.ReactNode;
  deleting: boolean;
};

/** Confirm with a justification, then the result: every change and every Graph call. */
export function ConfirmRevokeForm({ children, appId, chosen, retryHref, disabled, deleting }: Props) {
  const [state, action] = useActionState(revokeConsentAction, null);
  if (state?.ok) {
    return (
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} retryHref={retryHref}>
        <p className="text-sm text-slate-600">Tokens already issued keep working for about an hour; users must consent again to get back what was revoked.</p>
      </AppChangeResult>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <form action={action} className="space-y-4">
        <HiddenFields fields={{ appId, s: chosen.s, r: chosen.r, u: chosen.u, del: chosen.del === "yes" ? "yes" : undefined }} />
        <JustificationField errors={state?.ok === false ? state.fieldErrors?.justification : undefined} />
        <div role="status" aria-live="polite">
          {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
        </div>
        <SubmitButton pendingText="Revoking…" disabled={disabled} variant="danger">
          {deleting ? "Delete the app from the tenant" : "Revoke"}
        </SubmitButton>
      </form>
    </div>
  );
}
