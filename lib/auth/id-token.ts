import "server-only";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { identityFromClaims, type ExpectedTenant, type PortalIdentity, type SignInRefusal } from "./claims";

/**
 * Verifies the ID token's signature against the pinned tenant's published keys (S2).
 *
 * Auth.js (through oauth4webapi) checks `iss`, `aud`, `exp` and the nonce of the ID token it got from
 * the token endpoint, but not its signature: OpenID Connect lets a client rely on TLS to the token
 * endpoint instead (Core 1.0 §3.1.3.7). The portal does not: an ID token becomes a session only after
 * its RS256 signature checks out against the keys of the one tenant it serves, and its issuer,
 * audience, lifetime and nonce presence are checked again here.
 */

/** Seconds of clock difference accepted, as oauth4webapi does. */
const CLOCK_TOLERANCE_SECONDS = 30;

const discoverySchema = z.object({ jwks_uri: z.url() });

type KeySet = ReturnType<typeof createRemoteJWKSet>;
/** One key set per issuer for the process: jose caches the keys and refetches when a `kid` is new. */
const keySets = new Map<string, Promise<KeySet>>();

async function discoverKeys(issuer: string): Promise<KeySet> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { cache: "no-store" });
  if (!response.ok) throw new Error(`The issuer's discovery document answered ${response.status}.`);
  const { jwks_uri: jwksUri } = discoverySchema.parse(await response.json());
  // The keys must come from the issuer's own host over https, whatever the document says.
  const keysUrl = new URL(jwksUri);
  if (keysUrl.protocol !== "https:" || keysUrl.origin !== new URL(issuer).origin) {
    throw new Error("The issuer's discovery document names signing keys on another host.");
  }
  return createRemoteJWKSet(keysUrl);
}

function tenantKeys(issuer: string): Promise<KeySet> {
  let keys = keySets.get(issuer);
  if (!keys) {
    keys = discoverKeys(issuer);
    // A failed discovery is not cached: the next sign-in tries again.
    keys.catch(() => keySets.delete(issuer));
    keySets.set(issuer, keys);
  }
  return keys;
}

export type IdTokenCheck = { ok: true; claims: JWTPayload } | { ok: false; refusal: SignInRefusal };

export async function verifyIdToken(idToken: unknown, expected: ExpectedTenant): Promise<IdTokenCheck> {
  if (typeof idToken !== "string" || idToken === "") return { ok: false, refusal: "InvalidToken" };
  try {
    const { payload } = await jwtVerify(idToken, await tenantKeys(expected.issuer), {
      algorithms: ["RS256"],
      issuer: expected.issuer,
      audience: expected.clientId,
      requiredClaims: ["exp", "iat", "nonce", "tid", "oid"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
    return { ok: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === "iss") return { ok: false, refusal: "WrongIssuer" };
      if (error.claim === "aud") return { ok: false, refusal: "WrongAudience" };
      if (["tid", "oid"].includes(error.claim)) return { ok: false, refusal: "MissingClaims" };
    }
    if (error instanceof errors.JOSEError) return { ok: false, refusal: "InvalidToken" };
    // Anything else (the issuer's keys could not be fetched) is not the person's fault: let Auth.js
    // show its configuration error.
    throw error;
  }
}

/** The person an ID token names, once its signature and claims check out; what a session is made from. */
export async function identityFromIdToken(
  idToken: unknown,
  expected: ExpectedTenant,
): Promise<{ ok: true; identity: PortalIdentity } | { ok: false; refusal: SignInRefusal }> {
  const verified = await verifyIdToken(idToken, expected);
  return verified.ok ? identityFromClaims(verified.claims, expected) : verified;
}
