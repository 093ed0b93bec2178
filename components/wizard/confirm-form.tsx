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
  /** One sentence beside the button, for an admin who has not scrolled the preview: "Office 365 Admin gets 59 permissions for all users: …". */
  summary?: ReactNode;
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
 *
 * The button sits in an action bar fixed to the bottom of the viewport, so a 65-permission preview
 * can be confirmed without scrolling past it. The bar stays inside this form (one form, one submit
 * path, the button after the justification in tab and reading order, a refusal announced beside it);
 * while it is on screen the page is padded by its height and scrolling to a field (the browser's "fill
 * out this field") stops above it.
 */
export function ConfirmForm({ action, fields, label, summary, pendingText, disabled, variant, justificationErrors, error, children }: Props) {
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="confirm-form">
      <HiddenFields fields={fields} />
      {children}
      <JustificationField errors={justificationErrors} />
      <div
        role="group"
        aria-label="Confirm the change"
        data-testid="confirm-bar"
        className="fixed inset-x-0 bottom-0 z-20 border-t border-slate-300 bg-white/95 shadow-[0_-2px_8px_rgba(15,23,42,0.08)] backdrop-blur [body:has(&)]:pb-32 [html:has(&)]:scroll-pb-36"
      >
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
          {/* Beside the button the admin pressed, wherever the page is scrolled. */}
          <div role="status" aria-live="polite" className="w-full empty:hidden">
            {error && <p className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">{error}</p>}
          </div>
          <p className="min-w-0 flex-1 text-sm text-slate-700" data-testid="confirm-summary">
            {summary ?? "Check the preview above; your justification is recorded with the change."}
          </p>
          <SubmitButton pendingText={pendingText} disabled={disabled} variant={variant}>
            {label}
          </SubmitButton>
        </div>
      </div>
    </form>
  );
}
