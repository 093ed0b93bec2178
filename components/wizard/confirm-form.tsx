"use client";

import type { ReactNode } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { HiddenFields } from "./hidden-fields";
import { JustificationField } from "./justification-field";

type Props = {
  /** The wizard's server action, through useActionState. */
  action: (formData: FormData) => void;
  /** The choice of the Choose step, posted again so the server re-validates and re-plans it. */
  fields: Record<string, string | readonly string[] | undefined>;
  /** What pressing the button will really do, in words: "Grant 3 permissions to all users", "Delete the app from the tenant". */
  label: string;
  pendingText: string;
  /** Nothing to change, or nothing this role may change: the button stays, off, and the preview says why. */
  disabled?: boolean;
  variant?: "primary" | "danger";
  justificationErrors?: string[];
  /** Why the last attempt was refused, in words (announced). */
  error?: string | null;
  /** Inputs the change also needs before the justification, e.g. a second confirmation of a deletion. */
  children?: ReactNode;
};

/**
 * The confirm part of every wizard's Preview step (app and policy wizards alike): the justification
 * the audit trail records, and one button that says what will happen.
 */
export function ConfirmForm({ action, fields, label, pendingText, disabled, variant, justificationErrors, error, children }: Props) {
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="confirm-form">
      <HiddenFields fields={fields} />
      {children}
      <JustificationField errors={justificationErrors} />
      <div role="status" aria-live="polite">
        {error && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{error}</p>}
      </div>
      <SubmitButton pendingText={pendingText} disabled={disabled} variant={variant}>
        {label}
      </SubmitButton>
    </form>
  );
}
