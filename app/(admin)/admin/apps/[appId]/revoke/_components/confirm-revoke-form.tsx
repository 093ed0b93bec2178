"use client";

import { useActionState } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { ConfirmForm } from "@/components/wizard/confirm-form";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { revokeConsentAction } from "../actions";

type Props = {
  appId: string;
  chosen: { s: string[]; r: string[]; u: string[]; del?: string; block?: string };
  /** The same choice's preview again: the plan is re-read from the tenant, so only what is left is done. */
  retryHref: string;
  disabled: boolean;
  /** The preview: shown until the change is made, then replaced by the result (the page re-renders with the new state). */
  children: React.ReactNode;
  deleting: boolean;
  /** What the button does, in words: "Delete the app from the tenant", "Revoke 2 permissions and 1 user's consent". */
  label: string;
  /** Deleting needs a second, explicit confirmation; "consent-again" when it also acknowledges that users could consent again. */
  deleteConfirmation: "yes" | "consent-again" | null;
  appName: string;
};

/** Confirm with a justification, then the result: every change and every Graph call. */
export function ConfirmRevokeForm({ children, appId, chosen, retryHref, disabled, deleting, label, appName, deleteConfirmation }: Props) {
  const [state, action] = useActionState(revokeConsentAction, null);
  if (state?.ok) {
    return (
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} notes={state.data.notes} retryHref={retryHref}>
        <p className="text-sm text-slate-600">Tokens already issued keep working for about an hour; users must consent again to get back what was revoked.</p>
      </AppChangeResult>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <ConfirmForm
        action={action}
        fields={{ appId, s: chosen.s, r: chosen.r, u: chosen.u, del: chosen.del === "yes" ? "yes" : undefined, block: chosen.block === "yes" ? "yes" : undefined }}
        label={label}
        summary={`What happens to ${appName}, and whose access changes, is in the preview above.`}
        pendingText="Revoking…"
        disabled={disabled}
        variant="danger"
        justificationErrors={state?.ok === false ? state.fieldErrors?.justification : undefined}
        error={state?.ok === false ? state.message : null}
      >
        {deleting && deleteConfirmation && (
          <div className="rounded border border-red-200 bg-red-50 p-3 text-sm">
            <label className="flex items-start gap-2">
              <input type="checkbox" name="confirmDelete" value={deleteConfirmation} required aria-describedby="confirm-delete-error" className="mt-1" />
              <span>
                {deleteConfirmation === "consent-again"
                  ? `Delete ${appName} anyway. I understand that users can consent to it again right away, and that this cannot be undone.`
                  : `Yes, delete ${appName} from the tenant. This cannot be undone: consent must be granted again if it is added back.`}
              </span>
            </label>
            <p id="confirm-delete-error" className="text-red-800">
              {state?.ok === false ? state.fieldErrors?.confirmDelete?.join(" ") : null}
            </p>
          </div>
        )}
      </ConfirmForm>
    </div>
  );
}
