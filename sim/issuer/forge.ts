import { randomBytes } from "node:crypto";
import { decodeJwt, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import { z } from "zod";
import tenant from "../fixtures/tenant.json";

/**
 * Test-only: the ways a forged or broken ID token can differ from a good one (S2). The simulated
 * issuer can be told to hand out its next ID token with one of these defects, so tests drive the
 * portal's real sign-in callback with it.
 */
export const ID_TOKEN_DEFECTS = [
  "foreign-tenant",
  "personal-account",
  "wrong-audience",
  "wrong-issuer",
  "expired",
  "bad-signature",
  "missing-nonce",
  "wrong-nonce",
] as const;
export type IdTokenDefect = (typeof ID_TOKEN_DEFECTS)[number];
export const idTokenDefectSchema = z.enum(ID_TOKEN_DEFECTS);

/** The tenant Entra puts in `tid` for personal Microsoft accounts. */
export const PERSONAL_ACCOUNT_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
const FOREIGN_TENANT = tenant.foreignTenants[0]!.tenantId;
/** Microsoft Graph's appId: a real audience, just not the portal. */
const OTHER_AUDIENCE = "00000003-0000-0000-c000-000000000000";

export type SigningKey = JWK & { kid: string };

/** The claims of `idToken` with `defect` applied; the signature is made by forgeIdToken. */
export function defectiveClaims(claims: JWTPayload, defect: IdTokenDefect, issuer: string): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  const changed: JWTPayload = { ...claims };
  switch (defect) {
    case "foreign-tenant":
      // Signed by our issuer but naming another organization's tenant, as a token minted after
      // Auth.js's tid-driven discovery would.
      changed.tid = FOREIGN_TENANT;
      break;
    case "personal-account":
      changed.tid = PERSONAL_ACCOUNT_TENANT;
      break;
    case "wrong-audience":
      changed.aud = OTHER_AUDIENCE;
      break;
    case "wrong-issuer":
      // Same host, another tenant's issuer path.
      changed.iss = issuer.replace(tenant.tenantId, FOREIGN_TENANT);
      break;
    case "expired":
      changed.iat = now - 7200;
      changed.nbf = now - 7200;
      changed.exp = now - 3600;
      break;
    case "missing-nonce":
      delete changed.nonce;
      break;
    case "wrong-nonce":
      changed.nonce = randomBytes(16).toString("base64url");
      break;
    case "bad-signature":
      break;
  }
  return changed;
}

/**
 * Re-signs `idToken` with `defect`. A bad signature is made with a fresh key under the issuer's own
 * `kid`, so the portal finds the key it expects and the signature does not match it.
 */
export async function forgeIdToken(idToken: string, defect: IdTokenDefect, signing: { key: SigningKey; issuer: string }): Promise<string> {
  const claims = defectiveClaims(decodeJwt(idToken), defect, signing.issuer);
  const key = defect === "bad-signature" ? (await generateKeyPair("RS256")).privateKey : await importJWK(signing.key, "RS256");
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: signing.key.kid, typ: "JWT" }).sign(key);
}

/** The one pending defect, used by the next authorization-code token response that carries an ID token. */
export class IdTokenDefects {
  #next: IdTokenDefect | null = null;

  arm(defect: IdTokenDefect | null): void {
    this.#next = defect;
  }

  get armed(): IdTokenDefect | null {
    return this.#next;
  }

  take(): IdTokenDefect | null {
    const defect = this.#next;
    this.#next = null;
    return defect;
  }
}
