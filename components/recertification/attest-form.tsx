"use client";

import { useActionState } from "react";
import { attestAction } from "@/app/attest/[appId]/actions";
import type { ActionResult } from "@/lib/actions/result";

/**
 * The one decision of a re-attestation: two buttons of one form, so the note travels with either.
 * "No longer needed" asks for a reason (the admins revoke on it).
 */
export function AttestForm({ appId, appName, unused }: { appId: string; appName: string; unused: boolean }) {
  const [state, action, pending] = useActionState<ActionResult<{ dueAt: string }> | null, FormData>(attestAction, null);
  if (state?.ok) {
    return (
      <p role="status" className="rounded bg-green-50 px-3 py-2 text-green-900" data-testid="attest-result">
        {state.message}
      </p>
    );
  }
  const noteErrors = state && !state.ok ? state.fieldErrors?.note : undefined;
  const primary = "rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark disabled:opacity-60";
  const secondary = "rounded border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60";
  const neutral = "rounded border border-slate-300 bg-white px-4 py-2 font-medium hover:border-brand disabled:opacity-60";
  // An unused app: revocation is what the portal proposes, so it is the button that stands out.
  return (
    <form action={action} className="space-y-3" data-testid="attest-form">
      <input type="hidden" name="appId" value={appId} />
      <div>
        <label htmlFor="note" className="block font-medium">
          Note <span className="font-normal text-slate-600">(optional when still needed)</span>
        </label>
        <textarea
          id="note"
          name="note"
          rows={2}
          maxLength={500}
          aria-invalid={noteErrors?.length ? true : undefined}
          aria-describedby={noteErrors?.length ? "note-error" : undefined}
          className="mt-1 w-full rounded border border-slate-300 p-2"
          placeholder={`For example: “${appName} still syncs the sales calendars, ticket IT-1234”`}
        />
        {noteErrors?.length ? (
          <p id="note-error" className="text-sm text-red-700">
            {noteErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-3">
        <button type="submit" name="decision" value="attested" disabled={pending} className={unused ? neutral : primary}>
          {pending ? "Recording…" : "Still needed, still these permissions"}
        </button>
        <button type="submit" name="decision" value="revoke-requested" disabled={pending} className={unused ? `${secondary} bg-red-50` : secondary}>
          No longer needed — propose revocation
        </button>
      </div>
      {state && !state.ok ? (
        <p role="alert" className="text-sm text-red-700" data-testid="attest-error">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
