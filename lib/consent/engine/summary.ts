import type { StepResult } from "./run-step";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The one-line message above a wizard's result list, derived only from the steps, so it can never
 * claim more than they say: blocked is never "already granted", and a late-recorded outcome says so.
 */
export function summarizeSteps(steps: readonly StepResult[], words: { done: string; unchanged: string }): string {
  const count = (status: StepResult["status"]) => steps.filter((s) => s.status === status).length;
  const unfinished = count("failed") + count("partial");
  const blockedSteps = steps.filter((s) => s.status === "blocked");
  const done = count("done");
  const late = steps.some((s) => s.recordedLate) ? " The audit trail will record the outcome as soon as the database answers." : "";
  if (unfinished > 0) return `${done > 0 ? "Partly done: " : ""}${plural(unfinished, "step")} did not complete. See below; running the wizard again does only what is still missing.${late}`;
  if (blockedSteps.length > 0 && done === 0) {
    return `Nothing was changed: ${plural(blockedSteps.length, "step")} cannot be done — ${blockedSteps[0]!.detail}${late}`;
  }
  if (blockedSteps.length > 0) return `${words.done} ${plural(blockedSteps.length, "step")} could not be done; see below.${late}`;
  if (done === 0) return `${words.unchanged}${late}`;
  return `${words.done}${late}`;
}
