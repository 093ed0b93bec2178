import { describe, expect, it } from "vitest";
import { GraphError } from "./state/errors";
import { equalityConstraints, evaluate, parseFilter } from "./odata/filter";

const props = new Set(["appId", "displayName", "tags", "userConsentRequests", "activityDateTime", "consentType", "count", "accountEnabled"]);
const parse = (f: string) => parseFilter(f, props, "microsoft.graph.test");
const obj = {
  appId: "AbC", displayName: "Litware Sign", tags: ["HideApp"], consentType: "AllPrincipals", count: 5, accountEnabled: true,
  activityDateTime: "2026-11-20T10:00:00Z", userConsentRequests: [{ status: "Expired" }, { status: "InProgress" }],
};

describe("$filter parser", () => {
  it.each([
    ["appId eq 'abc'", true],
    ["appId ne 'abc'", false],
    ["startswith(displayName,'lit')", true],
    ["startswith(displayName, 'sign')", false],
    ["tags/any(t:t eq 'HideApp')", true],
    ["tags/any(t:t eq 'Other')", false],
    ["userConsentRequests/any(u:u/status eq 'InProgress')", true],
    ["userConsentRequests/all(u:u/status eq 'InProgress')", false],
    ["activityDateTime ge 2026-11-20T00:00:00Z and activityDateTime le 2026-11-21T00:00:00Z", true],
    ["activityDateTime ge 2026-11-21T00:00:00Z", false],
    ["count gt 4 and accountEnabled eq true", true],
    ["(appId eq 'x' or consentType eq 'AllPrincipals') and not (count lt 2)", true],
    ["appId in ('q', 'abc')", true],
    ["displayName eq 'O''Brien'", false],
  ])("%s → %s", (f, expected) => {
    expect(evaluate(parse(f), obj)).toBe(expected);
  });

  it("refuses properties the collection does not support", () => {
    expect(() => parse("scope eq 'x'")).toThrowError(GraphError);
    try { parse("scope eq 'x'"); } catch (e) { expect((e as GraphError).code).toBe("Request_UnsupportedQuery"); }
  });

  it("refuses unsupported functions and malformed input", () => {
    expect(() => parse("endswith(displayName,'x')")).toThrowError(/Unsupported query function/);
    expect(() => parse("appId eq")).toThrowError(/Invalid filter clause/);
    expect(() => parse("appId eq 'x")).toThrowError(/unterminated/);
    expect(() => parse("appId 'x'")).toThrowError(/comparison operator/);
  });

  it("extracts equality constraints for index lookups", () => {
    expect(Object.fromEntries(equalityConstraints(parse("appId eq 'a' and consentType eq 'Principal'")))).toEqual({ appId: "a", consentType: "Principal" });
    expect(equalityConstraints(parse("appId eq 'a' or consentType eq 'b'")).size).toBe(0);
  });
});
