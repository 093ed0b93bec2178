import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * proxy.ts checks the session of every page request in a signed-in area before the page renders (it
 * must, to answer a signed-out visitor with a real 307). It hands the page what it found in this request
 * header, so the page's auth() need not decrypt the cookie and ask the database a second time.
 *
 * The header is a MAC, not a flag: it is an HMAC (key derived from AUTH_SECRET) over the session's claims,
 * the request's whole Cookie header and a deadline. A visitor cannot make one (proxy.ts also drops any
 * the request brings), one cannot be moved to a request with another cookie, and it is worth nothing a
 * minute later. Without a valid one, auth() does the full check itself, as every page and action did.
 */
export const VERIFIED_SESSION_HEADER = "x-portal-verified-session";

/** How long a verification stays good: one page's render reads it at its start. */
export const VERIFIED_SESSION_TTL_MS = 60_000;

/** What the page needs of the session cookie's token (auth.ts turns it into the session). */
export type VerifiedClaims = { sid: string; oid: string; tid: string; name: string; upn: string; wids: string[]; exp: number };

type Payload = VerifiedClaims & { until: number };

const keys = new Map<string, Buffer>();

/** A key of its own, so this MAC is never interchangeable with anything else signed with AUTH_SECRET. */
function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = createHmac("sha256", secret).update("admin-consent-portal verified session v1").digest();
    keys.set(secret, key);
  }
  return key;
}

function mac(secret: string, payload: string, cookie: string): Buffer {
  return createHmac("sha256", keyFor(secret)).update(payload).update("\n").update(cookie).digest();
}

/** The header's value for a session proxy.ts has just checked, bound to this request's Cookie header. */
export function sealVerifiedSession(claims: VerifiedClaims, cookie: string, secret: string, now = Date.now()): string {
  const payload: Payload = { ...claims, until: now + VERIFIED_SESSION_TTL_MS };
  const encoded = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${encoded}.${mac(secret, encoded, cookie).toString("base64url")}`;
}

/** The claims, when `value` was made by sealVerifiedSession for this Cookie header and is still in date; otherwise null. */
export function openVerifiedSession(value: string | null, cookie: string | null, secret: string, now = Date.now()): VerifiedClaims | null {
  if (!value || cookie === null) return null;
  const dot = value.indexOf(".");
  if (dot <= 0) return null;
  const encoded = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64url");
  const expected = mac(secret, encoded, cookie);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: Payload;
  try {
    payload = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as Payload;
  } catch {
    return null;
  }
  if (typeof payload.until !== "number" || payload.until <= now) return null;
  const { until: _until, ...claims } = payload;
  return claims;
}

/** The claims of a decrypted session token, or null when it names no session. */
export function claimsOfToken(token: { sid?: unknown; oid?: unknown; tid?: unknown; name?: unknown; upn?: unknown; wids?: unknown; exp?: unknown } | null): VerifiedClaims | null {
  if (!token || typeof token.sid !== "string" || typeof token.oid !== "string" || !token.oid) return null;
  const text = (value: unknown) => (typeof value === "string" ? value : "");
  return {
    sid: token.sid,
    oid: token.oid,
    tid: text(token.tid),
    name: text(token.name),
    upn: text(token.upn),
    wids: Array.isArray(token.wids) ? token.wids.filter((w): w is string => typeof w === "string") : [],
    exp: typeof token.exp === "number" ? token.exp : 0,
  };
}
