"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { AppChangeResult } from "@/components/wizard/app-change-result";
import { ConfirmForm } from "@/components/wizard/confirm-form";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { grantConsentAction } from "../actions";

type Props = {
  appId: string;
  delegated: string[];
  appRoles: string[];
  /** The request this grant approves: sent with the grant, and the result leads back to its queue. */
  approving: { kind: "portal" | "entra"; requestId: string; /** Still waiting, so the grant carries it; false once decided. */ carried: boolean } | null;
  disabled: boolean;
  /** What the button does, in words: "Grant 3 permissions to all users". */
  label: string;
  /** The sentence beside the button in the confirm bar: what the app gets, by risk. */
  summary?: string;
  retryHref: string;
  children: ReactNode;
};

/**
 * The preview (children), confirm with a justification, then the result: every change and every Graph
 * call. Once there is a result the preview goes: re-rendered after the change it would only say
 * "nothing to change".
 */
export function ConfirmGrantForm({ appId, delegated, appRoles, approving, disabled, label, summary, retryHref, children }: Props) {
  const [state, action] = useActionState(grantConsentAction, null);
  if (state?.ok) {
    return (
      <AppChangeResult appId={appId} message={state.message} steps={state.data.steps} calls={state.data.calls} notes={state.data.notes} retryHref={retryHref}>
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
      <ConfirmForm
        action={action}
        fields={{
          appId,
          d: delegated,
          r: appRoles,
          ...(approving?.carried && approving.kind === "portal" ? { requestId: approving.requestId } : {}),
          ...(approving?.carried && approving.kind === "entra" ? { entraRequestId: approving.requestId } : {}),
        }}
        label={label}
        summary={summary}
        pendingText="Granting…"
        disabled={disabled}
        justificationErrors={state?.ok === false ? state.fieldErrors?.justification : undefined}
        error={state?.ok === false ? state.message : null}
      />
    </div>
  );
}
