import Link from "next/link";
import type { ReactNode } from "react";
import type { StepResult } from "@/lib/consent/engine/run-step";
import type { GraphCallRecord } from "@/lib/consent/engine/results";
import { GraphCallList } from "./graph-call-list";
import { StepResults } from "./step-results";
import { WizardSteps } from "./wizard-steps";

type Props = {
  appId: string;
  message: string;
  steps: StepResult[];
  calls: GraphCallRecord[];
  /** The same choice's preview again: re-planned from the tenant, so a retry only does what is left. */
  retryHref: string;
  /** What the change engine wants the admin to know afterwards (what it could not do, what still lets users in): warnings in amber. */
  notes?: readonly string[];
  /** A note for after the change, e.g. how long issued tokens keep working. */
  children?: ReactNode;
};

/**
 * The Result step of an app wizard (grant, revoke, restrict and assign): the outcome, each change with
 * what happened, "Retry the rest" when something is unfinished, and every Graph call made.
 */
export function AppChangeResult({ appId, message, steps, calls, notes = [], retryHref, children }: Props) {
  const unfinished = steps.some((step) => step.status === "failed" || step.status === "partial");
  // Green only when every step holds in the tenant as read back; blocked or unfinished steps say so in amber.
  const settled = steps.every((step) => step.status === "done" || step.status === "unchanged");
  return (
    <section aria-labelledby="result" className="space-y-4">
      <WizardSteps current="Result" />
      <h2 id="result" className="text-lg font-semibold">
        Result
      </h2>
      <p role="status" data-testid="result-message" className={`rounded px-3 py-2 ${settled ? "bg-green-50 text-green-900" : "bg-amber-50 text-amber-900"}`}>
        {message}
      </p>
      <StepResults steps={steps} />
      {unfinished && (
        // A full page load, not a client navigation: the preview must be re-planned from the tenant as it is now.
        <a href={retryHref} className="inline-block rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
          Retry the rest
        </a>
      )}
      {children}
      {notes.map((note) => (
        <p key={note} className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="result-warning">
          {note}
        </p>
      ))}
      <h3 className="font-semibold">Microsoft Graph calls</h3>
      <GraphCallList calls={calls} />
      <Link href={`/admin/apps/${appId}`} className="inline-block text-brand underline">
        See the app&apos;s state in the tenant
      </Link>
    </section>
  );
}
