import { describe, expect, it } from "vitest";
import { identityFromClaims } from "./claims";

const expected = {
  tenantId: "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a",
  issuer: "https://127.0.0.1:3001/8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a/v2.0",
  clientId: "5a0f3c1e-8d2b-4f6a-9c7e-1b3d5f7a9c2e",
};
const good = {
  iss: expected.issuer,
  aud: expected.clientId,
  tid: expected.tenantId,
  oid: "0b6f7a1c-2d3e-4f50-8a61-7b8c9d0e1f21",
  name: "Alex Wilber",
  preferred_username: "alex.wilber@contoso.onmicrosoft.com",
  wids: ["62e90394-69f5-4237-9190-012177145e10"],
};

describe("identityFromClaims (S2)", () => {
  it("keys a person of our tenant on oid and tid", () => {
    expect(identityFromClaims(good, expected)).toEqual({
      ok: true,
      identity: { oid: good.oid, tid: good.tid, name: good.name, upn: good.preferred_username, wids: good.wids },
    });
  });

  it.each([
    ["another organization's tenant", { tid: "2f4a9e1b-7c3d-4e5f-8a9b-0c1d2e3f4a5b" }, "ForeignTenant"],
    ["the personal Microsoft account tenant", { tid: "9188040d-6c67-4c5b-b112-36a304b66dad" }, "ForeignTenant"],
    ["an issuer of another tenant", { iss: "https://login.microsoftonline.com/2f4a9e1b-7c3d-4e5f-8a9b-0c1d2e3f4a5b/v2.0" }, "WrongIssuer"],
    ["the common issuer", { iss: "https://login.microsoftonline.com/common/v2.0" }, "WrongIssuer"],
    ["another app's audience", { aud: "00000003-0000-0000-c000-000000000000" }, "WrongAudience"],
    ["several audiences", { aud: [expected.clientId, "other"] }, "WrongAudience"],
    ["no object ID", { oid: undefined }, "MissingClaims"],
    ["a tenant ID that is not a GUID", { tid: "contoso.onmicrosoft.com" }, "MissingClaims"],
  ])("refuses %s", (_label, change, refusal) => {
    expect(identityFromClaims({ ...good, ...change }, expected)).toEqual({ ok: false, refusal });
  });

  it("never trusts the email or username to identify someone", () => {
    const result = identityFromClaims({ ...good, preferred_username: "someone.else@contoso.onmicrosoft.com" }, expected);
    expect(result.ok && result.identity.oid).toBe(good.oid);
  });
});
