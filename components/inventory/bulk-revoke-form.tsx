"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent, type ReactNode } from "react";
import { revokeConsentAction } from "@/app/(admin)/admin/apps/[appId]/revoke/actions";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { StepResults } from "@/components/wizard/step-results";
import type { WizardActionState } from "@/lib/consent/engine/wizard";

export type BulkApp = { appId: string; name: string; s: string[]; r: string[]; u: string[]; retryHref: string };

type Outcome = { app: BulkApp; state: WizardActionState };

/**
 * One justification, then each app's revoke through the revoke wizard's own action, one app after the
 * other: each is authorized, re-planned from the tenant, executed and audited exactly as the wizard
 * does it for one app. The previews (children) show until the revoke runs; then each app's result.
 */
export function BulkRevokeForm({ apps, children }: { apps: BulkApp[]; children: ReactNode }) {
  const router = useRouter();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [justificationErrors, setJustificationErrors] = useState<string[] | undefined>();
  const [pending, startTransition] = useTransition();
  // How many apps this revoke covers, kept from the submit: the refresh afterwards re-plans the page, and
  // apps with nothing left to revoke drop out of `apps`.
  const [total, setTotal] = useState(0);
  const done = total > 0 && outcomes.length === total;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const justification = String(new FormData(event.currentTarget).get("justification") ?? "");
    setTotal(apps.length);
    startTransition(async () => {
      const results: Outcome[] = [];
      for (const app of apps) {
        setCurrent(app.name);
        const form = new FormData();
        form.set("appId", app.appId);
        for (const [name, values] of [["s", app.s], ["r", app.r], ["u", app.u]] as const) for (const value of values) form.append(name, value);
        form.set("justification", justification);
        const state = await revokeConsentAction(null, form);
        // An invalid justification is the same for every app: stop at the first and let it be fixed.
        if (!state.ok && state.fieldErrors?.justification) {
          setJustificationErrors(state.fieldErrors.justification);
          setCurrent(null);
          return;
        }
        results.push({ app, state });
        setOutcomes([...results]);
      }
      setCurrent(null);
      router.refresh();
    });
  }

  if (outcomes.length > 0) {
    return (
      <section aria-labelledby="bulk-result" className="space-y-4">
        <h2 id="bulk-result" className="text-lg font-semibold">
          Result
        </h2>
        <div role="status" aria-live="polite">
          {done ? <p>Done: {outcomes.filter((o) => o.state.ok && !o.state.data.partial).length} of {total} apps revoked as previewed.</p> : <p>Revoking {current}…</p>}
        </div>
        <ul className="space-y-4">
          {outcomes.map(({ app, state }) => (
            <li key={app.appId} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="bulk-result">
              <h3 className="font-semibold">{app.name}</h3>
              <p className={`mt-1 rounded px-3 py-2 ${state.ok && !state.data.partial ? "bg-green-50 text-green-900" : "bg-amber-50 text-amber-900"}`} data-testid="bulk-result-message">
                {state.message}
              </p>
              {state.ok && <StepResults steps={state.data.steps} />}
              {(!state.ok || state.data.partial) && (
                <a href={app.retryHref} className="mt-2 inline-block text-brand underline">
                  Open {app.name}&apos;s revoke wizard to retry
                </a>
              )}
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer text-brand">Microsoft Graph calls</summary>
                <GraphCallList calls={state.ok ? state.data.calls : (state.calls ?? [])} />
              </details>
            </li>
          ))}
        </ul>
        {done && (
          <p className="text-sm">
            Tokens already issued keep working for about an hour. <Link href="/inventory" className="text-brand underline">Back to the inventory</Link> — the next scan shows what is left.
          </p>
        )}
      </section>
    );
  }

  return (
    <div className="space-y-6">
      {children}
      <form onSubmit={submit} className="space-y-4">
        <JustificationField errors={justificationErrors} />
        <div role="status" aria-live="polite">
          {pending && current && <p>Revoking {current}…</p>}
        </div>
        <button type="submit" disabled={pending || apps.length === 0} className="rounded border border-red-700 bg-white px-4 py-2 font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-60">
          {pending ? "Revoking…" : `Revoke for ${apps.length} ${apps.length === 1 ? "app" : "apps"}`}
        </button>
      </form>
    </div>
  );
}
