"use client";

import { useActionState, useState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import { GraphCallList } from "@/components/wizard/graph-call-list";
import { JustificationField } from "@/components/wizard/justification-field";
import { StepResults } from "@/components/wizard/step-results";
import type { ActionResult } from "@/lib/actions/result";
import type { AppliedDocument, ComparedDocument } from "@/lib/settings-document/actions";
import type { SectionOutcome } from "@/lib/settings-document/apply";
import type { SectionDiff } from "@/lib/settings-document/diff";

type Compare = (previous: ActionResult<ComparedDocument> | null, formData: FormData) => Promise<ActionResult<ComparedDocument>>;
type Apply = (previous: ActionResult<AppliedDocument> | null, formData: FormData) => Promise<ActionResult<AppliedDocument>>;

const STATE_LOOK: Record<SectionDiff["state"], { label: string; style: string }> = {
  changed: { label: "Changes", style: "bg-amber-100 text-amber-900" },
  same: { label: "Same as the tenant", style: "bg-green-100 text-green-900" },
  "not-in-document": { label: "Not in the document", style: "bg-slate-100 text-slate-700" },
};

const OUTCOME_LOOK: Record<SectionOutcome["status"], { label: string; style: string }> = {
  applied: { label: "Applied", style: "bg-green-100 text-green-900" },
  unchanged: { label: "Already so", style: "bg-slate-100 text-slate-700" },
  "not-in-document": { label: "Not in the document", style: "bg-slate-100 text-slate-700" },
  blocked: { label: "Blocked", style: "bg-amber-100 text-amber-900" },
  partial: { label: "Partly applied", style: "bg-amber-100 text-amber-900" },
  failed: { label: "Failed", style: "bg-red-100 text-red-900" },
};

function Problems({ state }: { state: { ok: false; message: string; fieldErrors?: Record<string, string[]> } }) {
  const fields = Object.entries(state.fieldErrors ?? {}).filter(([key]) => key !== "justification");
  return (
    <div role="alert" className="space-y-2 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800" data-testid="document-problems">
      <p>{state.message}</p>
      {fields.length > 0 && (
        <ul className="list-disc pl-5">
          {fields.map(([path, messages]) => (
            <li key={path}>
              <code className="font-mono">{path}</code>: {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DiffView({ compared, message }: { compared: ComparedDocument; message: string }) {
  return (
    <section aria-labelledby="diff-heading" className="space-y-3" data-testid="settings-diff">
      <h2 id="diff-heading" className="text-lg font-semibold">
        Compared with the tenant now
      </h2>
      <p role="status" className="text-slate-700" data-testid="diff-summary">
        {message}
      </p>
      <ul className="space-y-3">
        {compared.diff.sections.map((section) => {
          const look = STATE_LOOK[section.state];
          const block = compared.blocks[section.section];
          return (
            <li key={section.section} className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`diff-${section.section}`}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-semibold">{section.title}</h3>
                <span className={`rounded-full px-2 py-0.5 text-xs ${look.style}`}>{look.label}</span>
              </div>
              {section.lines.length > 0 && (
                <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
                  {section.lines.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              )}
              {section.notes.map((note, i) => (
                <p key={i} className="mt-1 text-sm text-slate-600">
                  {note}
                </p>
              ))}
              {block && (
                <p className="mt-2 text-sm text-amber-800" data-testid={`blocked-${section.section}`}>
                  Will be blocked: {block}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ApplyResult({ result, message, onAgain }: { result: AppliedDocument; message: string; onAgain: () => void }) {
  const settled = result.sections.every((s) => s.status === "applied" || s.status === "unchanged" || s.status === "not-in-document");
  return (
    <section aria-labelledby="result-heading" className="space-y-4" data-testid="apply-result">
      <h2 id="result-heading" className="text-lg font-semibold">
        Result
      </h2>
      <p role="status" className={`rounded border p-3 ${settled ? "border-green-300 bg-green-50 text-green-900" : "border-amber-300 bg-amber-50 text-amber-900"}`} data-testid="result-message">
        {message}
      </p>
      <ul className="space-y-3">
        {result.sections.map((section) => {
          const look = OUTCOME_LOOK[section.status];
          return (
            <li key={section.section} className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`result-${section.section}`}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-semibold">{section.title}</h3>
                <span className={`rounded-full px-2 py-0.5 text-xs ${look.style}`}>{look.label}</span>
              </div>
              {section.reason && <p className="mt-1 text-sm text-slate-700">{section.reason}</p>}
              {section.steps.length > 0 && (
                <div className="mt-2">
                  <StepResults steps={section.steps} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      <section aria-labelledby="graph-calls-heading">
        <h3 id="graph-calls-heading" className="font-semibold">
          Microsoft Graph calls
        </h3>
        <GraphCallList calls={result.calls} />
      </section>
      <button type="button" onClick={onAgain} className="text-brand hover:underline">
        Compare another document
      </button>
    </section>
  );
}

/**
 * Export (download), import (upload or paste), the diff against the tenant, and — for admins, when an
 * `apply` action is given — a justification and Apply, with each wizard's steps as the result.
 */
export function SettingsDocumentPanel({ compare, apply, exportHref }: { compare: Compare; apply?: Apply; exportHref: string }) {
  const [text, setText] = useState("");
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [compared, setCompared] = useState("");
  const [confirming, setConfirming] = useState(false);
  // The result of an apply the admin has put aside to compare another document.
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [compareState, compareAction] = useActionState(compare, null);
  const [applyState, applyAction] = useActionState(apply ?? (async () => null as unknown as ActionResult<AppliedDocument>), null);

  async function readFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    setFileNote(`Read ${file.name}.`);
  }

  const comparedOk = compareState?.ok ? compareState.data : null;
  const applied = applyState?.ok && applyState !== dismissed ? applyState : null;
  return (
    <div className="space-y-8">
      <section aria-labelledby="export-heading" className="space-y-2">
        <h2 id="export-heading" className="text-lg font-semibold">
          Export
        </h2>
        <p className="text-sm text-slate-600">The tenant&apos;s consent settings now, read from Microsoft Graph, with the approved baselines.</p>
        <p className="flex flex-wrap gap-3">
          <a href={`${exportHref}?format=yaml`} download className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50">
            Download YAML
          </a>
          <a href={`${exportHref}?format=json`} download className="rounded border border-slate-300 px-4 py-2 hover:bg-slate-50">
            Download JSON
          </a>
        </p>
      </section>

      {applied ? (
        <ApplyResult result={applied.data} message={applied.message} onAgain={() => setDismissed(applyState)} />
      ) : (
        <>
          <section aria-labelledby="import-heading" className="space-y-3">
            <h2 id="import-heading" className="text-lg font-semibold">
              Compare a document with the tenant
            </h2>
            <form
              action={compareAction}
              onSubmit={() => {
                setCompared(text);
                setConfirming(false);
              }}
              className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
            >
              <div>
                <label htmlFor="document-file" className="block font-medium">
                  Upload a file
                </label>
                <input id="document-file" type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" onChange={(e) => void readFile(e.target.files?.[0])} className="mt-1 text-sm" />
                {fileNote && <p className="text-sm text-slate-600">{fileNote}</p>}
              </div>
              <div>
                <label htmlFor="document" className="block font-medium">
                  Or paste it (JSON or YAML)
                </label>
                <textarea
                  id="document"
                  name="document"
                  required
                  rows={12}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  spellCheck={false}
                  className="mt-1 w-full rounded border border-slate-300 p-2 font-mono text-sm"
                />
              </div>
              <SubmitButton pendingText="Comparing…">Compare with the tenant</SubmitButton>
            </form>
            {compareState && !compareState.ok && <Problems state={compareState} />}
          </section>

          {comparedOk && <DiffView compared={comparedOk} message={compareState!.message} />}

          {apply && comparedOk?.diff.changed && (
            <section aria-labelledby="apply-heading" className="space-y-3">
              <h2 id="apply-heading" className="text-lg font-semibold">
                Apply
              </h2>
              <p className="text-sm text-slate-600">Each changed section goes through its own wizard, as a change you would make there: locked, read back, and in the audit trail with your justification.</p>
              {!confirming ? (
                <button type="button" onClick={() => setConfirming(true)} className="rounded bg-brand px-4 py-2 font-medium text-white hover:bg-brand-dark">
                  Continue to confirm
                </button>
              ) : (
                <form action={applyAction} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
                  <input type="hidden" name="document" value={compared} />
                  <input type="hidden" name="fingerprint" value={comparedOk.fingerprint} />
                  {comparedOk.diff.highRiskClassifications.length > 0 && (
                    <label className="flex items-start gap-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                      <input type="checkbox" name="ack" className="mt-1" />
                      <span>
                        I understand that classifying {comparedOk.diff.highRiskClassifications.join(", ")} as low impact lets every user grant{" "}
                        {comparedOk.diff.highRiskClassifications.length === 1 ? "it" : "them"} to every app from a verified publisher.
                      </span>
                    </label>
                  )}
                  <JustificationField errors={applyState && !applyState.ok ? applyState.fieldErrors?.justification : undefined} />
                  <SubmitButton pendingText="Applying…">Apply the document</SubmitButton>
                </form>
              )}
              {applyState && !applyState.ok && <Problems state={applyState} />}
            </section>
          )}
        </>
      )}
    </div>
  );
}
