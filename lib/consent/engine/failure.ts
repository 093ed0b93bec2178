import { AuditUnavailableError, OutcomeNotRecordedError } from "@/lib/audit";
import { graphFailure } from "@/lib/graph/errors";
import { NotYetReplicatedError } from "@/lib/graph/replication";
import { TargetBusyError } from "./target-lock";

/**
 * Every failure a change can meet, in plain words for the result page and the action's message — the
 * one place that turns errors into sentences. Never Graph's or Prisma's own message (it can carry ids,
 * internals or attacker-chosen text). `what` finishes "your Entra role does not allow you to …".
 */
export function explainFailure(error: unknown, what = "make this change"): string {
  if (error instanceof AuditUnavailableError) return error.message;
  if (error instanceof OutcomeNotRecordedError) return error.message;
  if (error instanceof TargetBusyError) return "Another admin's change to the same thing is still running. Nothing was changed by you; try again in a minute.";
  if (error instanceof NotYetReplicatedError) return "Microsoft Graph has not made the new app visible yet. Run the wizard again in a minute to finish (nothing is lost).";
  const failure = graphFailure(error);
  if (!failure) return "Something went wrong on the portal's side. Try again in a moment.";
  if (failure.status === 401) return "Your sign-in to Microsoft Graph has expired. Sign in again and retry.";
  if (failure.status === 403) return `Microsoft Entra refused (${failure.code}): your Entra role does not allow you to ${what}.`;
  if (failure.status === 404) return "Microsoft Graph could not find what this change needs (it may have just been deleted). Reload the page.";
  if (failure.status === 409) return "Someone changed this at the same time. Reload the page to see the current state.";
  if (failure.status === 429) return "Microsoft Graph stayed busy (429) after several retries. Run the wizard again later.";
  if (failure.status >= 500) return `Microsoft Graph stayed unavailable (${failure.status}) after several retries. Run the wizard again later.`;
  return `Microsoft Graph did not accept the request (${failure.status} ${failure.code}).`;
}
