"use client";

import Link from "next/link";
import { useActionState } from "react";
import { ConfirmForm } from "@/components/wizard/confirm-form";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { WizardSteps } from "@/components/wizard/wizard-steps";
import { StepResults } from "@/components/wizard/step-results";
import type { WizardActionState } from "@/lib/consent/engine/wizard";
import { BeforeAfter } from "./before-after";

type Props = {
  action: (previous: WizardActionState | null, formData: FormData) => Promise<WizardActionState>;
  /** The choice carried from the Choose step, posted again so the server re-validates and re-plans it. */
  hidden: [string, string][];
  /** What the button does, in words: "Let users consent to low-impact permissions from verified publishers". */
  applyLabel: string;
  /** Set when the change cannot be applied (role, refusal, nothing to change): the reason is shown instead. */
  blockedReason?: string | null;
  restartHref: string;
  /** Extra inputs of the Confirm form, before the justification (e.g. an acknowledgment the change needs). */
  confirmFields?: React.ReactNode;
  /** The server-rendered preview. */
  children: React.ReactNode;
};

/** Grouped by name, as the confirm form posts them (a name may repeat: one input per value). */
function fieldsOf(hidden: [string, string][]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const [name, value] of hidden) (fields[name] ??= []).push(value);
  return fields;
}

/** Preview with its confirm form (justification) → Result for one policy change, as in the app wizards. */
export function ApplyPanel({ action, hidden, applyLabel, blockedReason, restartHref, confirmFields, children }: Props) {
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
      <WizardSteps current="Preview" />
      {children}
      {blockedReason ? (
        <p className="rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900" data-testid="blocked-reason">
          {blockedReason}
        </p>
      ) : (
        <ConfirmForm
          action={formAction}
          fields={fieldsOf(hidden)}
          label={applyLabel}
          pendingText="Applying…"
          justificationErrors={state && !state.ok ? state.fieldErrors?.justification : undefined}
        >
          {confirmFields}
        </ConfirmForm>
      )}
      <Link href={restartHref} className="inline-block text-sm text-brand underline">
        ← Change my choice
      </Link>
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
