import type { AuditRecord } from "@/lib/audit/canonical";
import type { ConsentAgain } from "./could-consent-again";

/**
 * What last happened to an app's presence in the tenant, from the audit trail: deleted, blocked,
 * unblocked. The app page says this instead of "nobody has consented yet" when the app was there and
 * someone removed or blocked it. Pure: from the app's succeeded audit events, newest first.
 */

export type AppHistoryEvent = Pick<AuditRecord, "occurredAt" | "actorName" | "actorUpn" | "action" | "before" | "justification" | "outcome">;

export type LastChange =
  | { kind: "deleted"; by: string; at: Date; justification: string | null; consentAgain: ConsentAgain | null }
  | { kind: "blocked"; by: string; at: Date; justification: string | null; what: string[] }
  | { kind: "sign-in enabled"; by: string; at: Date; justification: string | null };

const SIGN_IN_OFF = new Set(["prohibit.disableSignIn", "servicePrincipal.disableSignIn"]);
const ASSIGNMENT_ON = new Set(["prohibit.requireAssignment"]);

function consentAgainOf(before: unknown): ConsentAgain | null {
  if (typeof before !== "object" || before === null) return null;
  const value = (before as { consentAgain?: unknown }).consentAgain;
  if (typeof value !== "object" || value === null) return null;
  const { possible, reason, scopes } = value as Partial<ConsentAgain>;
  if (typeof possible !== "boolean" || typeof reason !== "string") return null;
  return { possible, reason, scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === "string") : [] };
}

/** The newest delete / block / unblock of the app; null when the trail has none. `events` are newest first. */
export function lastChange(events: readonly AppHistoryEvent[]): LastChange | null {
  const done = events.filter((e) => e.outcome === "succeeded");
  for (const event of done) {
    const by = event.actorName ?? event.actorUpn ?? "someone outside the portal";
    if (event.action === "servicePrincipal.delete") {
      return { kind: "deleted", by, at: event.occurredAt, justification: event.justification, consentAgain: consentAgainOf(event.before) };
    }
    const signInWas = event.action === "access.signIn" ? (event.before as { accountEnabled?: boolean } | null)?.accountEnabled : undefined;
    if (signInWas === false) return { kind: "sign-in enabled", by, at: event.occurredAt, justification: event.justification };
    if (SIGN_IN_OFF.has(event.action) || ASSIGNMENT_ON.has(event.action) || signInWas === true) {
      // The steps of one block sit side by side in the trail: say everything that one change did.
      const sameChange = done.filter((e) => e.justification === event.justification && Math.abs(e.occurredAt.getTime() - event.occurredAt.getTime()) < 10 * 60_000);
      const what = [
        ...(sameChange.some((e) => SIGN_IN_OFF.has(e.action) || e.action === "access.signIn") ? ["sign-in disabled"] : []),
        ...(sameChange.some((e) => ASSIGNMENT_ON.has(e.action)) ? ["assignment required"] : []),
        ...(sameChange.some((e) => e.action.startsWith("revoke.")) ? ["grants removed"] : []),
      ];
      return { kind: "blocked", by, at: event.occurredAt, justification: event.justification, what };
    }
  }
  return null;
}
