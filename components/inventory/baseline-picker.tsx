"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/submit-button";
import type { ActionResult } from "@/lib/actions/result";

type Choose = (previous: ActionResult<undefined> | null, formData: FormData) => Promise<ActionResult<undefined>>;

/** The reviewer picks the baseline the checks are held against; the choice is remembered (a cookie). */
export function BaselinePicker({ baselines, current, choose }: { baselines: { id: string; name: string; description: string }[]; current: string; choose: Choose }) {
  const [state, action] = useActionState(choose, null);
  return (
    <form action={action} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <fieldset>
        <legend className="font-semibold">Baseline</legend>
        <div className="mt-2 space-y-2">
          {baselines.map((baseline) => (
            <div key={baseline.id} className="flex items-start gap-2 text-sm">
              <input id={`baseline-${baseline.id}`} type="radio" name="baseline" value={baseline.id} defaultChecked={baseline.id === current} className="mt-1" />
              <label htmlFor={`baseline-${baseline.id}`}>
                <span className="font-medium">{baseline.name}</span>
                <span className="block text-slate-600">{baseline.description}</span>
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <SubmitButton pendingText="Saving…">Use this baseline</SubmitButton>
        <span role="status" className={`text-sm ${state?.ok === false ? "text-red-700" : "text-slate-600"}`}>
          {state?.message}
        </span>
      </div>
    </form>
  );
}
