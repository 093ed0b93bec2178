"use client";

import { FORM_TOO_LARGE_MESSAGE, FORM_UNREADABLE_MESSAGE } from "@/lib/http/limits";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  // The errors whose text is shown: the portal's own answers to a form it cannot take (proxy.ts). Any other
  // message may come from anywhere, so it stays hidden behind the reference.
  const tooLarge = error.message === FORM_TOO_LARGE_MESSAGE;
  const unreadable = error.message === FORM_UNREADABLE_MESSAGE;
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-red-200 bg-white p-6" role="alert">
      <h1 className="text-xl font-semibold text-red-800">{tooLarge ? "The form was too large" : unreadable ? "The form could not be read" : "Something went wrong"}</h1>
      <p className="mt-2 text-slate-700">
        {tooLarge || unreadable ? error.message : "The page could not be shown. Nothing was changed in your tenant."}
        {error.digest && <span className="block text-xs text-slate-500">Reference: {error.digest}</span>}
      </p>
      <button type="button" onClick={reset} className="mt-4 rounded bg-brand px-4 py-2 text-white hover:bg-brand-dark">
        Try again
      </button>
    </div>
  );
}
