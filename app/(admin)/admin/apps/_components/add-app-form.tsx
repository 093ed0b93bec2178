"use client";

import Link from "next/link";
import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { addCatalogAppAction } from "../actions";

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="text-sm text-red-700">
      {errors.join(" ")}
    </p>
  ) : null;
}

/** Add an app by ID, by pasting its consent or sign-in URL, or the text of the error page users saw. */
export function AddAppForm() {
  const [state, action] = useActionState(addCatalogAppAction, null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const values = state && !state.ok ? state.values : undefined;
  return (
    <form action={action} key={JSON.stringify(values ?? {})} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="text-lg font-semibold">Add an app</h2>
      <div>
        <label htmlFor="reference" className="block font-medium">
          App ID, or its consent or sign-in URL
        </label>
        <textarea
          id="reference"
          name="reference"
          rows={2}
          required
          defaultValue={values?.reference}
          aria-describedby={errors?.reference ? "reference-error" : undefined}
          aria-invalid={errors?.reference ? true : undefined}
          className="mt-1 w-full rounded border border-slate-300 p-2 font-mono text-sm"
          placeholder="8e0d5ae6-12fd-4a7e-b01f-a689fa119d94  or  https://login.microsoftonline.com/…?client_id=…"
        />
        <FieldError id="reference-error" errors={errors?.reference} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor="displayName" className="block font-medium">
            Name <span className="font-normal text-slate-500">(if the app is not in your tenant yet)</span>
          </label>
          <input id="displayName" name="displayName" maxLength={120} defaultValue={values?.displayName} aria-describedby={errors?.displayName ? "displayName-error" : undefined} className="mt-1 w-full rounded border border-slate-300 p-2" />
          <FieldError id="displayName-error" errors={errors?.displayName} />
        </div>
        <div>
          <label htmlFor="permissions" className="block font-medium">
            Graph permissions it asks for <span className="font-normal text-slate-500">(if the URL does not list them)</span>
          </label>
          <input id="permissions" name="permissions" defaultValue={values?.permissions} placeholder="Mail.Read Calendars.ReadWrite" aria-describedby={errors?.permissions ? "permissions-error" : undefined} className="mt-1 w-full rounded border border-slate-300 p-2 font-mono text-sm" />
          <FieldError id="permissions-error" errors={errors?.permissions} />
        </div>
      </div>
      <div role="status" aria-live="polite" data-testid="add-app-status">
        {state && (state.ok ? (
          <p className="rounded bg-green-50 px-3 py-2 text-green-900">
            {state.message} <Link className="underline" href={`/admin/apps/${state.data.appId}`}>Open it</Link>
          </p>
        ) : (
          <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>
        ))}
      </div>
      <SubmitButton pendingText="Adding…">Add to the catalog</SubmitButton>
    </form>
  );
}
