"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { StepResults } from "@/components/wizard/step-results";
import { blockAppAction, denyEntraRequestAction } from "../actions";

/** Deny with a reason, or block the app, for one of Entra's consent requests. */
export function RequestActions({ requestId, appId }: { requestId: string; appId: string }) {
  const [denied, deny] = useActionState(denyEntraRequestAction, null);
  const [blocked, block] = useActionState(blockAppAction, null);
  return (
    <div className="space-y-3">
      <form action={deny} className="space-y-2">
        <input type="hidden" name="requestId" value={requestId} />
        <input type="hidden" name="appId" value={appId} />
        <label htmlFor={`reason-${requestId}`} className="block text-sm font-medium">
          Reason for denying (shown to the requester)
        </label>
        <input id={`reason-${requestId}`} name="reason" required minLength={5} maxLength={500} className="w-full rounded border border-slate-300 p-2 text-sm" />
        <SubmitButton pendingText="Denying…" variant="danger">
          Deny
        </SubmitButton>
      </form>
      <form action={block}>
        <input type="hidden" name="requestId" value={requestId} />
        <input type="hidden" name="appId" value={appId} />
        <SubmitButton pendingText="Blocking…" variant="danger">
          Block the app
        </SubmitButton>
      </form>
      <div role="status" aria-live="polite">
        {[denied, blocked].map((state, i) =>
          state ? (
            <p key={i} className={`rounded px-3 py-2 text-sm ${state.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-800"}`}>
              {state.message}
            </p>
          ) : null,
        )}
        {blocked?.ok && <StepResults steps={blocked.data} />}
      </div>
    </div>
  );
}
