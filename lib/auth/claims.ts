import { z } from "zod";

/** Why a sign-in is refused; each has a plain-language message on /auth/error. */
export type SignInRefusal = "ForeignTenant" | "WrongIssuer" | "WrongAudience" | "MissingClaims" | "InvalidToken";

export type ExpectedTenant = { tenantId: string; issuer: string; clientId: string };

const idTokenClaims = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  tid: z.guid(),
  oid: z.guid(),
  name: z.string().default(""),
  preferred_username: z.string().default(""),
  wids: z.array(z.string()).default([]),
});

export type PortalIdentity = {
  oid: string;
  tid: string;
  name: string;
  upn: string;
  wids: string[];
};

/**
 * Checks an ID token's claims against the one tenant this portal serves (S2): keeps people keyed on
 * oid+tid and refuses any token whose tenant, issuer or audience is not exactly ours. It does not look
 * at the signature: call it on claims verifyIdToken (id-token.ts) returned, never on a token as
 * received. (Auth.js checks iss, aud, exp and the nonce, which the provider's `checks` make it send,
 * but not the signature: see id-token.ts.)
 */
export function identityFromClaims(
  claims: unknown,
  expected: ExpectedTenant,
): { ok: true; identity: PortalIdentity } | { ok: false; refusal: SignInRefusal } {
  const parsed = idTokenClaims.safeParse(claims);
  if (!parsed.success) return { ok: false, refusal: "MissingClaims" };
  const { iss, aud, tid, oid, name, preferred_username, wids } = parsed.data;
  if (tid.toLowerCase() !== expected.tenantId.toLowerCase()) return { ok: false, refusal: "ForeignTenant" };
  if (iss !== expected.issuer) return { ok: false, refusal: "WrongIssuer" };
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audiences.length !== 1 || audiences[0] !== expected.clientId) return { ok: false, refusal: "WrongAudience" };
  return { ok: true, identity: { oid: oid.toLowerCase(), tid: tid.toLowerCase(), name, upn: preferred_username, wids } };
}
