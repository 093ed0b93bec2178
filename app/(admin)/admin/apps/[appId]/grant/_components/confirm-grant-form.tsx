"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { HiddenFields } from "@/components/wizard/hidden-fields";
import { JustificationField } from "@/components/wizard/justification-field";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { SubmitButton } from "@/components/ui/submit-button";
import { grantConsentAction } from "../actions";

type Props = {
  appId: string;
  delegated: string[];
  appRoles: string[];
  /** The request this grant approves: sent with the grant, and the result leads back to its queue. */
  approving: { kind: "portal" | "entra"; requestId: string; /** Still waiting, so the grant carries it; false once decided. */ carried: boolean } | null;
  disabled: boolean;
  retryHref: string;
  children: ReactNode;
};

/**
 * The preview (children), confirm with a justification, then the result: every change and every Graph
 * call. Once there is a result the preview goes: re-rendered after the change it would only say
 * "nothing to change".
 */
export function ConfirmGrantForm({ appId, delegated, appRoles, approving, disabled, retryHref, children }: Props) {
  const [state, action] = useActionState(grantConsentAction, null);
  if (state?.ok) {
    return (
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} retryHref={retryHref}>
        {approving && (
          <Link href={approving.kind === "portal" ? "/admin/requests" : "/admin/entra-requests"} className="inline-block text-brand underline" data-testid="back-to-queue">
            ← Back to {approving.kind === "portal" ? "approval requests" : "Entra's consent requests"}
          </Link>
        )}
      </AppChangeResult>
    );
  }
  return (
    <div className="space-y-6">
      <WizardSteps current="Preview" />
      {children}
      <form action={action} className="space-y-4">
        <HiddenFields
          fields={{
            appId,
            d: delegated,
            r: appRoles,
            ...(approving?.carried && approving.kind === "portal" ? { requestId: approving.requestId } : {}),
            ...(approving?.carried && approving.kind === "entra" ? { entraRequestId: approving.requestId } : {}),
          }}
        />
        <JustificationField errors={state?.ok === false ? state.fieldErrors?.justification : undefined} />
        <div role="status" aria-live="polite">
          {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
        </div>
        <SubmitButton pendingText="Granting…" disabled={disabled}>
          Grant consent for all users
        </SubmitButton>
      </form>
    </div>
  );
}
