import "server-only";
import { getToken } from "next-auth/jwt";
import { touchSession } from "@/lib/auth/session-store";
import { env } from "@/lib/env";
import { callbackPath } from "@/lib/validations/auth";
import { claimsOfToken, type VerifiedClaims } from "./verified-session";

/** The areas that need a signed-in person; every other path (home, sign-in, Auth.js, health) is open. */
const SIGNED_IN_AREAS = /^\/(admin|review|audit|inventory|my-apps)(\/|$)/;

/**
 * What proxy.ts does with a request before any page renders: a signed-out visitor's GET goes to sign-in
 * (`signIn`, a real 307 even for a page with a loading.tsx skeleton: once the skeleton has streamed, a
 * page's own redirect() could only be a client-side one behind a 200); a live session's claims go on to
 * the page (`signedIn`, see verified-session.ts), so it does not check the same cookie again.
 * The sign-in page brings the visitor back to the same path and query (`/my-apps?q=okta`), same-origin
 * only (S1, callbackPath). Pages, route handlers and actions still check for themselves.
 */
export type Gate = { kind: "open" } | { kind: "signIn"; path: string } | { kind: "signedIn"; claims: VerifiedClaims };

export async function gateFor(request: { method: string; url: string; headers: Headers }): Promise<Gate> {
  if (request.method !== "GET" && request.method !== "HEAD") return { kind: "open" };
  const url = new URL(request.url);
  if (!isSignedInArea(url.pathname)) return { kind: "open" };
  const session = await liveSession(request.headers);
  if (session === "unknown") return { kind: "open" };
  if (session === null) return { kind: "signIn", path: signInPathFor(url.pathname + url.search) };
  return { kind: "signedIn", claims: session };
}

export function isSignedInArea(pathname: string): boolean {
  return SIGNED_IN_AREAS.test(pathname);
}

/** `/signin?callbackUrl=…` coming back to `returnTo` (a path on this site, with its query). */
export function signInPathFor(returnTo: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl: callbackPath.parse(returnTo) })}`;
}

/**
 * The claims of the session cookie when it decrypts and names a UserSession that is still live (the
 * check auth.ts makes when no verified claims came with the request); null when not. "unknown" when the
 * database cannot answer: that is not a verdict on the visitor, so the page checks again and says what failed.
 */
export async function liveSession(headers: Headers): Promise<VerifiedClaims | null | "unknown"> {
  const { AUTH_SECRET, AUTH_URL } = env();
  const secureCookie = AUTH_URL?.startsWith("https://") ?? false;
  const claims = await decryptedClaims(headers, () => getToken({ req: { headers }, secret: AUTH_SECRET, secureCookie }).catch(() => null));
  if (!claims) return null;
  const live = await touchSession(claims.sid).catch(() => "unknown" as const);
  return live === "unknown" ? live : live ? claims : null;
}

/**
 * Decrypting the session cookie (key derivation, AES and HMAC by WebCrypto) was the larger part of the
 * proxy's CPU per page; a browser sends the same cookie with every page. So the claims of a cookie that
 * decrypted are kept in memory, by the exact Cookie header, until the token's own expiry: the same
 * input can only decrypt to the same claims. Only the decryption is kept; whether the session is still
 * live is asked every time (touchSession). Bounded: the oldest entries go first.
 */
const DECRYPTED_MAX = 2000;
const decrypted = new Map<string, VerifiedClaims>();

export async function decryptedClaims(headers: Headers, decrypt: () => Promise<Parameters<typeof claimsOfToken>[0]>, now = Date.now()): Promise<VerifiedClaims | null> {
  const cookie = headers.get("cookie");
  const known = cookie ? decrypted.get(cookie) : undefined;
  if (known && known.exp * 1000 > now) return known;
  if (known) decrypted.delete(cookie!);
  const claims = claimsOfToken(await decrypt());
  if (claims && cookie && claims.exp * 1000 > now) {
    if (decrypted.size >= DECRYPTED_MAX) decrypted.delete(decrypted.keys().next().value!);
    decrypted.set(cookie, claims);
  }
  return claims;
}
