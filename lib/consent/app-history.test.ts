import { describe, expect, it } from "vitest";
import { lastChange, type AppHistoryEvent } from "./app-history";

const at = (minute: number) => new Date(Date.UTC(2026, 11, 6, 1, minute));
const event = (action: string, minute: number, extra: Partial<AppHistoryEvent> = {}): AppHistoryEvent => ({
  occurredAt: at(minute),
  actorName: "Casey Jensen",
  actorUpn: "casey@contoso",
  action,
  before: null,
  justification: "Okta retired",
  outcome: "succeeded",
  ...extra,
});

describe("lastChange", () => {
  it("remembers a deletion and why users could consent again", () => {
    const consentAgain = { possible: true, reason: "the setting lets users consent", scopes: ["Mail.Send"] };
    const last = lastChange([event("servicePrincipal.delete", 5, { before: { consentAgain } }), event("grant.delegated.allPrincipals", 1)]);
    expect(last).toEqual({ kind: "deleted", by: "Casey Jensen", at: at(5), justification: "Okta retired", consentAgain });
  });

  it("sums up one block: sign-in disabled, assignment required, grants removed (newest first)", () => {
    const last = lastChange([event("revoke.delegated.allPrincipals", 3), event("prohibit.requireAssignment", 2), event("prohibit.disableSignIn", 2)]);
    expect(last).toMatchObject({ kind: "blocked", what: ["sign-in disabled", "assignment required", "grants removed"] });
  });

  it("sees sign-in enabled again after a block, and ignores failed changes", () => {
    expect(lastChange([event("access.signIn", 9, { before: { accountEnabled: false } }), event("prohibit.disableSignIn", 2)])).toMatchObject({ kind: "sign-in enabled" });
    expect(lastChange([event("servicePrincipal.delete", 9, { outcome: "failed" })])).toBeNull();
  });
});
