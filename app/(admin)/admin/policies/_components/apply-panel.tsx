"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { SubmitButton } from "@/components/ui/submit-button";
import { StepResults } from "@/components/wizard/step-results";
import type { WizardActionState } from "@/lib/consent/engine/wizard";
import { BeforeAfter } from "./before-after";

type Props = {
  action: (previous: WizardActionState | null, formData: FormData) => Promise<WizardActionState>;
  /** The choice carried from the Choose step, posted again so the server re-validates and re-plans it. */
  hidden: [string, string][];
  applyLabel: string;
  /** Set when the change cannot be applied (role, refusal, nothing to change): the reason is shown instead. */
  blockedReason?: string | null;
  restartHref: string;
  /** Extra inputs of the Confirm form, before the justification (e.g. an acknowledgment the change needs). */
  confirmFields?: React.ReactNode;
  /** The server-rendered preview. */
  children: React.ReactNode;
};

/** Preview → Confirm (justification) → Result for one policy change. */
export function ApplyPanel({ action, hidden, applyLabel, blockedReason, restartHref, confirmFields, children }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [state, formAction] = useActionState(action, null);

  if (state?.ok) {
    const { data } = state;
    // "Now" only when every step holds in the tenant (read back); otherwise the right column is only what was asked.
    const settled = data.steps.every((step) => step.status === "done" || step.status === "unchanged");
    return (
      <div className="space-y-6">
        <WizardSteps current="Result" />
        <p role="status" className={`rounded border p-3 ${settled ? "border-green-300 bg-green-50 text-green-900" : "border-amber-300 bg-amber-50 text-amber-900"}`} data-testid="result-message">
          {state.message}
        </p>
        <BeforeAfter before={data.before} after={data.after} beforeTitle="Before" afterTitle={settled ? "Now" : "Asked for"} />
        <StepResults steps={data.steps} />
        {data.notes.length > 0 && (
          <ul className="list-disc pl-5 text-sm text-slate-700" data-testid="result-notes">
            {data.notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        )}
        <section aria-labelledby="graph-calls-heading">
          <h2 id="graph-calls-heading" className="font-semibold">
            Microsoft Graph calls
          </h2>
          <GraphCallList calls={data.calls} />
        </section>
        <p className="flex gap-4 text-sm">
          <Link href="/admin/policies" className="text-brand hover:underline">
            Back to consent policies
          </Link>
          <Link href={restartHref} className="text-brand hover:underline">
            Make another change
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <WizardSteps current={confirming || state ? "Confirm" : "Preview"} />
      {children}
      {blockedReason ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="blocked-reason">
          {blockedReason}
        </p>
      ) : !confirming && !state ? (
        <div className="flex gap-3">
          <button type="button" onClick={() => setConfirming(true)} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
            Continue to confirm
          </button>
          <Link href={restartHref} className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50">
            Change my choice
          </Link>
        </div>
      ) : null}
      {(confirming || state) && !blockedReason && (
        <form action={formAction} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
          {hidden.map(([name, value], i) => (
            <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
          ))}
          {confirmFields}
          <JustificationField errors={state && !state.ok ? state.fieldErrors?.justification : undefined} />
          <SubmitButton pendingText="Applying…">{applyLabel}</SubmitButton>
        </form>
      )}
      {state && !state.ok && (
        <div role="alert" className="space-y-3 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="refusal">
          <p>{state.message}</p>
          {state.fieldErrors && (
            <ul className="list-disc pl-5">
              {Object.entries(state.fieldErrors)
                .filter(([key]) => key !== "justification")
                .map(([key, messages]) => (
                  <li key={key}>{messages.join(" ")}</li>
                ))}
            </ul>
          )}
          {state.calls && state.calls.length > 0 && <GraphCallList calls={state.calls} />}
        </div>
      )}
    </div>
  );
}
