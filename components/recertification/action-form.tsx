"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { SubmitButton } from "@/components/ui/submit-button";

type Action = (previous: ActionResult<undefined> | null, formData: FormData) => Promise<ActionResult<undefined>>;

/** A settings form around a server action: its fields, one submit button, and the action's answer (field errors under the form). */
export function ActionForm({ action, submit, pendingText, children, testId, variant }: { action: Action; submit: string; pendingText: string; children: ReactNode; testId: string; variant?: "primary" | "danger" }) {
  const [state, formAction] = useActionState<ActionResult<undefined> | null, FormData>(action, null);
  const errors = state && !state.ok ? Object.values(state.fieldErrors ?? {}).flat() : [];
  return (
    <form action={formAction} className="space-y-4" data-testid={testId}>
      {children}
      {errors.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-red-700" data-testid={`${testId}-errors`}>
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pendingText={pendingText} variant={variant}>
          {submit}
        </SubmitButton>
        <p role="status" className={`text-sm ${state && !state.ok ? "text-red-700" : "text-slate-700"}`} data-testid={`${testId}-message`}>
          {state?.message ?? ""}
        </p>
      </div>
    </form>
  );
}
