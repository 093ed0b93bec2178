"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { JustificationField } from "@/components/wizard/justification-field";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import type { RevertDriftState } from "@/app/(review)/inventory/drift/actions";

type Props = {
  action: (previous: RevertDriftState | null, formData: FormData) => Promise<RevertDriftState>;
  driftId: string;
  appId: string;
  /** This page again: re-planned from the tenant, so a retry only does what is left. */
  retryHref: string;
  label: string;
  disabled: boolean;
  variant: "primary" | "danger";
  /** The wizard's preview, shown until the change is made. */
  children: React.ReactNode;
};

/** Confirm the revert with a justification, then the wizard's result: every change and Graph call. */
export function RevertDriftForm({ action, driftId, appId, retryHref, label, disabled, variant, children }: Props) {
  const [state, formAction] = useActionState(action, null);
  if (state?.ok) {
    return (
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} retryHref={retryHref}>
        <p className="text-sm" data-testid="drift-revert-status">
          {state.reverted ? "The drift is closed as reverted." : "The drift stays open."}{" "}
          <Link href="/inventory/drift" className="text-brand underline">
            Back to the drift
          </Link>
        </p>
        {state.data.notes.map((note) => (
          <p key={note} className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {note}
          </p>
        ))}
      </AppChangeResult>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <form action={formAction} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        <input type="hidden" name="driftId" value={driftId} />
        <JustificationField errors={state?.ok === false ? state.fieldErrors?.justification : undefined} />
        {state?.ok === false && (
          <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
            {state.message}
          </p>
        )}
        <SubmitButton pendingText="Reverting…" disabled={disabled} variant={variant}>
          {label}
        </SubmitButton>
      </form>
    </div>
  );
}
