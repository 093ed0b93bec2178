"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { JustificationField } from "@/components/wizard/justification-field";
import type { ActionResult } from "@/lib/actions/result";

type Action = (previous: ActionResult<undefined> | null, formData: FormData) => Promise<ActionResult<undefined>>;

/** "Check drift now": every baselined app read live, and what changed said in one line. */
export function CheckDriftButton({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <SubmitButton pendingText="Checking…">Check drift now</SubmitButton>
      {state && (
        <p role={state.ok ? "status" : "alert"} data-testid="drift-check-result" className={`text-sm ${state.ok ? "text-slate-700" : "text-red-800"}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}

/** Accept one drift into the app's baseline: the justification goes into the baseline's audit event. */
export function AcceptDriftForm({ action, driftId, label }: { action: Action; driftId: string; label: string }) {
  const [state, formAction] = useActionState(action, null);
  if (state?.ok) {
    return (
      <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">
        {state.message}
      </p>
    );
  }
  return (
    <details className="rounded border border-slate-200 bg-slate-50 p-2 text-sm">
      <summary className="cursor-pointer font-medium text-brand">Accept into baseline</summary>
      <form action={formAction} className="mt-2 space-y-2" aria-label={`Accept: ${label}`}>
        <input type="hidden" name="driftId" value={driftId} />
        <JustificationField errors={state?.ok === false ? state.fieldErrors?.justification : undefined} />
        {state?.ok === false && !state.fieldErrors && (
          <p role="alert" className="text-red-800">
            {state.message}
          </p>
        )}
        <SubmitButton pendingText="Accepting…">Accept into baseline</SubmitButton>
      </form>
    </details>
  );
}
