"use client";

import { useActionState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { SubmitButton } from "@/components/ui/submit-button";
import { createConsentLinkAction } from "../actions";

export function CreateLinkForm({ appId, appName }: { appId: string; appName: string }) {
  const [state, action] = useActionState(createConsentLinkAction, null);
  return (
    <div className="space-y-4">
      <form action={action}>
        <input type="hidden" name="appId" value={appId} />
        <SubmitButton pendingText="Making the link…">{state?.ok ? "Make a new link" : "Make the consent link"}</SubmitButton>
      </form>
      <div role="status" aria-live="polite">
        {state && !state.ok && <p className="rounded bg-red-50 px-3 py-2 text-red-800">{state.message}</p>}
      </div>
      {state?.ok && (
        <div className="space-y-3 rounded border border-slate-200 bg-white p-4">
          <label htmlFor="consent-url" className="block font-medium">
            Consent link for {appName} (valid 15 minutes, for your session only)
          </label>
          <textarea id="consent-url" readOnly value={state.data.url} rows={3} className="w-full rounded border border-slate-300 p-2 font-mono text-xs" data-testid="consent-url" />
          <div className="flex flex-wrap items-center gap-3">
            <a href={state.data.url} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
              Open the consent screen
            </a>
            {/* Keyed by the link: a new link starts as "Copy link" again. */}
            <CopyButton key={state.data.url} text={state.data.url} targetId="consent-url">
              Copy link
            </CopyButton>
          </div>
        </div>
      )}
    </div>
  );
}
