"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { addToCatalogAndApproveAction, denyRequestAction } from "../actions";

/**
 * For an app the portal does not know yet: the wizards work on catalog apps, so approving starts by
 * adding it (its name and publisher from the tenant, the permissions the user asked for), then opens
 * the grant wizard's preview.
 */
export function AddToCatalogForm({ requestId, appName }: { requestId: string; appName: string }) {
  const [state, action] = useActionState(addToCatalogAndApproveAction, null);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="requestId" value={requestId} />
      <p className="text-sm text-slate-700">{appName} is not in the portal&apos;s catalog yet. Approving adds it with what was requested, then opens the grant wizard.</p>
      <SubmitButton pendingText="Adding…">Add to the catalog and approve</SubmitButton>
      <div role="status" aria-live="polite">
        {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">{state.message}</p>}
      </div>
    </form>
  );
}

/** Deny with a reason; `prepared` fills it in when the portal already knows why (an app that does not exist, say). */
export function DenyForm({ requestId, prepared }: { requestId: string; prepared?: string }) {
  const [state, action] = useActionState(denyRequestAction, null);
  const errors = state?.ok === false ? state.fieldErrors?.reason : undefined;
  const id = `reason-${requestId}`;
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="requestId" value={requestId} />
      <label htmlFor={id} className="block text-sm font-medium">
        Reason for denying (the requester sees it)
      </label>
      <textarea
        id={id}
        name="reason"
        required
        minLength={5}
        maxLength={500}
        rows={prepared ? 3 : 2}
        defaultValue={prepared}
        aria-describedby={errors?.length ? `${id}-error` : undefined}
        aria-invalid={errors?.length ? true : undefined}
        className="w-full rounded border border-slate-300 p-2 text-sm"
      />
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
      <SubmitButton pendingText="Denying…" variant="danger">
        Deny
      </SubmitButton>
      <div role="status" aria-live="polite">
        {state && <p className={state.ok ? "text-sm text-green-800" : "rounded bg-red-50 px-3 py-2 text-sm text-red-800"}>{state.message}</p>}
      </div>
    </form>
  );
}
