"use client";

import Link from "next/link";
import { useActionState } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { ConfirmForm } from "@/components/wizard/confirm-form";
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
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} notes={state.data.notes} retryHref={retryHref}>
        <p className="text-sm" data-testid="drift-revert-status">
          {state.reverted ? "The drift is closed as reverted." : "The drift stays open."}{" "}
          <Link href="/inventory/drift" className="text-brand underline">
            Back to the drift
          </Link>
        </p>
      </AppChangeResult>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <ConfirmForm
        action={formAction}
        fields={{ driftId }}
        label={label}
        pendingText="Reverting…"
        disabled={disabled}
        variant={variant}
        justificationErrors={state?.ok === false ? state.fieldErrors?.justification : undefined}
        error={state?.ok === false ? state.message : null}
      />
    </div>
  );
}
