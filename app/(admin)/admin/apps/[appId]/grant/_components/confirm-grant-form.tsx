"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { StepResults } from "@/components/wizard/step-results";
import { SubmitButton } from "@/components/ui/submit-button";
import { grantConsentAction } from "../actions";

type Props = { appId: string; delegated: string[]; appRoles: string[]; disabled: boolean; retryHref: string; children: ReactNode };

/**
 * The preview (children), confirm with a justification, then the result: every change and every Graph
 * call. Once there is a result the preview goes: re-rendered after the change it would only say
 * "nothing to change".
 */
export function ConfirmGrantForm({ appId, delegated, appRoles, disabled, retryHref, children }: Props) {
  const [state, action] = useActionState(grantConsentAction, null);
  if (state?.ok) {
    const unfinished = state.data.steps.some((step) => step.status === "failed" || step.status === "partial");
    return (
      <section aria-labelledby="result" className="space-y-4">
        <h2 id="result" className="text-lg font-semibold">
          Result
        </h2>
        <p role="status" data-testid="result-message" className="rounded bg-green-50 px-3 py-2 text-green-900">
          {state.message}
        </p>
        <StepResults steps={state.data.steps} />
        {unfinished && (
          <Link href={retryHref} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Retry the rest
          </Link>
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
      {children}
      <form action={action} className="space-y-4">
        <input type="hidden" name="appId" value={appId} />
        {delegated.map((value) => (
          <input key={`d-${value}`} type="hidden" name="d" value={value} />
        ))}
        {appRoles.map((value) => (
          <input key={`r-${value}`} type="hidden" name="r" value={value} />
        ))}
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
