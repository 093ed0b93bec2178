"use client";

import Link from "next/link";
import { useActionState } from "react";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { StepResults } from "@/components/wizard/step-results";
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
        <p className="text-sm text-slate-600">Tokens already issued keep working for about an hour; users must consent again to get back what was revoked.</p>
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
        {(["s", "r", "u"] as const).flatMap((kind) => chosen[kind].map((value) => <input key={`${kind}-${value}`} type="hidden" name={kind} value={value} />))}
        {chosen.del === "yes" && <input type="hidden" name="del" value="yes" />}
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
