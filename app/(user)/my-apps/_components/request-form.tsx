"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { JUSTIFICATION_MAX } from "@/lib/validations/limits";
import { requestApprovalAction } from "../actions";

type Props = {
  appId: string;
  appName: string;
  delegated: string[];
  appRoles: string[];
  /** The permissions are unknown: the request says in words what the person needs. */
  described?: boolean;
  existing: { id: string; createdOn: string } | null;
};

/** Ask for approval of exactly the permissions that need an admin; the app and permissions are prefilled. */
export function RequestForm({ appId, appName, delegated, appRoles, described = false, existing }: Props) {
  const [state, action] = useActionState(requestApprovalAction, null);
  // Success first: once the action revalidates, the page passes the new request back as `existing`.
  if (state?.ok) {
    return (
      <p role="status" data-testid="request-result" className="rounded bg-green-50 px-3 py-2 text-green-900">
        {state.message}{" "}
        <Link href={`/my-apps/requests/${state.data.requestId}`} className="underline">
          {state.data.already ? "See your request" : "Follow its status"}
        </Link>
      </p>
    );
  }
  if (existing) {
    return (
      <p className="rounded bg-slate-100 px-3 py-2" data-testid="already-requested">
        You already requested approval for {appName} on {existing.createdOn}.{" "}
        <Link href={`/my-apps/requests/${existing.id}`} className="text-brand underline">
          See your request
        </Link>
      </p>
    );
  }
  const errors = state?.ok === false ? state.fieldErrors?.justification : undefined;
  return (
    <form action={action} className="space-y-3">
      <input type="hidden" name="appId" value={appId} />
      {described && <input type="hidden" name="described" value="yes" />}
      {delegated.map((value) => (
        <input key={`d-${value}`} type="hidden" name="d" value={value} />
      ))}
      {appRoles.map((value) => (
        <input key={`r-${value}`} type="hidden" name="r" value={value} />
      ))}
      <div>
        <label htmlFor="justification" className="block font-medium">
          Why do you need {appName}?
        </label>
        <p id="justification-hint" className="text-sm text-slate-600">
          Admins read this to decide. For example: “Sales team mail sync with our CRM, ticket IT-1234”. Plain text, up to {JUSTIFICATION_MAX} characters.
        </p>
        <textarea
          id="justification"
          name="justification"
          required
          minLength={10}
          maxLength={JUSTIFICATION_MAX}
          rows={4}
          aria-describedby={errors?.length ? "justification-hint justification-error" : "justification-hint"}
          aria-invalid={errors?.length ? true : undefined}
          className="mt-1 w-full rounded border border-slate-300 p-2"
        />
        {errors?.length ? (
          <p id="justification-error" className="text-sm text-red-700">
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
      </div>
      <SubmitButton pendingText="Sending…">Request approval</SubmitButton>
    </form>
  );
}
