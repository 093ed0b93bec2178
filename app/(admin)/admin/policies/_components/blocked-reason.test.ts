import { describe, expect, it } from "vitest";
import { blockedReason } from "./blocked-reason";

const allowed = { label: "User consent", allowed: true, reason: "" };
const denied = { label: "User consent", allowed: false, reason: "The authorization policy needs Privileged Role Administrator or Global Administrator." };

describe("blockedReason", () => {
  it("lets a real change through", () => {
    expect(blockedReason(allowed, { changed: true })).toBeNull();
    expect(blockedReason(allowed, { changed: true, refusal: null })).toBeNull();
  });

  it("names the role first, whatever the plan", () => {
    expect(blockedReason(denied, { changed: true, refusal: "Entra refuses." })).toBe(`Not with your role: ${denied.reason}`);
  });

  it("gives Entra's refusal before saying nothing would change", () => {
    expect(blockedReason(allowed, { changed: false, refusal: "Choose at least one reviewer." })).toBe("Choose at least one reviewer.");
  });

  it("says when the tenant already has the setting, in the wizard's own words if it has them", () => {
    expect(blockedReason(allowed, { changed: false })).toBe("This is already the tenant's setting: there is nothing to change.");
    expect(blockedReason(allowed, { changed: false }, "Nothing to change.")).toBe("Nothing to change.");
  });
});
