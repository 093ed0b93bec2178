import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tenant from "@/sim/fixtures/tenant.json";
import { ACCOUNTS } from "@/sim/issuer/accounts";
import { forgeIdToken, type IdTokenDefect } from "@/sim/issuer/forge";
import { signInWithCode, startTestIssuer, type TestIssuer } from "@/sim/issuer/test-issuer";
import { identityFromIdToken, verifyIdToken } from "./id-token";

let sim: TestIssuer;
let goodToken: string;
let expected: { tenantId: string; issuer: string; clientId: string };
const admin = ACCOUNTS.find((account) => account.roleLabel === "Global Administrator")!;

beforeAll(async () => {
  sim = await startTestIssuer();
  expected = { tenantId: tenant.tenantId, issuer: sim.issuer.issuer, clientId: tenant.portalClient.clientId };
  goodToken = (await signInWithCode(sim, admin.id, "openid profile")).tokens.id_token;
});

afterAll(() => sim.close());

function forge(defect: IdTokenDefect) {
  return forgeIdToken(goodToken, defect, { key: sim.issuer.signingKey, issuer: sim.issuer.issuer });
}

describe("ID token verification (S2)", () => {
  it("accepts the issuer's own token and keys the person on oid and tid", async () => {
    expect(await identityFromIdToken(goodToken, expected)).toEqual({
      ok: true,
      identity: { oid: admin.id, tid: tenant.tenantId, name: admin.displayName, upn: admin.userPrincipalName, wids: admin.wids },
    });
  });

  it.each([
    ["a foreign tenant", "foreign-tenant", "ForeignTenant"],
    ["the personal-account tenant", "personal-account", "ForeignTenant"],
    ["another app's audience", "wrong-audience", "WrongAudience"],
    ["another tenant's issuer", "wrong-issuer", "WrongIssuer"],
    ["an expired token", "expired", "InvalidToken"],
    ["a signature made with another key under the issuer's kid", "bad-signature", "InvalidToken"],
    ["a token without a nonce", "missing-nonce", "InvalidToken"],
  ] as const)("refuses %s", async (_label, defect, refusal) => {
    expect(await identityFromIdToken(await forge(defect), expected)).toEqual({ ok: false, refusal });
  });

  it("refuses a token whose claims were edited after signing", async () => {
    const [header, , signature] = goodToken.split(".");
    const someoneElse = ACCOUNTS.find((account) => account.roleLabel === "User")!;
    const claims = { ...decodeJwt(goodToken), oid: someoneElse.id };
    const edited = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect(await verifyIdToken(edited, expected)).toEqual({ ok: false, refusal: "InvalidToken" });
  });

  it("refuses an unsigned token and a token signed with a shared secret", async () => {
    const claims = decodeJwt(goodToken);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${goodToken.split(".")[1]}.`;
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: sim.issuer.signingKey.kid }).sign(new TextEncoder().encode(tenant.portalClient.clientSecret));
    expect(await verifyIdToken(unsigned, expected)).toEqual({ ok: false, refusal: "InvalidToken" });
    expect(await verifyIdToken(hmac, expected)).toEqual({ ok: false, refusal: "InvalidToken" });
  });

  it("refuses when there is no ID token at all", async () => {
    expect(await verifyIdToken(undefined, expected)).toEqual({ ok: false, refusal: "InvalidToken" });
  });
});
