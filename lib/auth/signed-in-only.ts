import "server-only";
import { getToken } from "next-auth/jwt";
import { touchSession } from "@/lib/auth/session-store";
import { env } from "@/lib/env";
import { callbackPath } from "@/lib/validations/auth";

/** The areas that need a signed-in person; every other path (home, sign-in, Auth.js, health) is open. */
const SIGNED_IN_AREAS = /^\/(admin|review|audit|inventory|my-apps)(\/|$)/;

/**
 * Where a signed-out visitor's request goes instead, or null when it may go on. Answered before any page
 * renders (proxy.ts), so the answer is a real 307 even for a page with a loading.tsx skeleton: once the
 * skeleton has streamed, a page's own redirect() could only be a client-side one behind a 200.
 * The sign-in page brings the visitor back to the same path and query (`/my-apps?q=okta`), same-origin
 * only (S1, callbackPath). Pages, route handlers and actions still check for themselves.
 */
export async function signInRedirectFor(request: { method: string; url: string; headers: Headers }): Promise<string | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return null;
  const url = new URL(request.url);
  if (!isSignedInArea(url.pathname)) return null;
  if (await hasLiveSession(request.headers)) return null;
  return signInPathFor(url.pathname + url.search);
}

export function isSignedInArea(pathname: string): boolean {
  return SIGNED_IN_AREAS.test(pathname);
}

/** `/signin?callbackUrl=…` coming back to `returnTo` (a path on this site, with its query). */
export function signInPathFor(returnTo: string): string {
  return `/signin?${new URLSearchParams({ callbackUrl: callbackPath.parse(returnTo) })}`;
}

/** The session cookie decrypts and names a UserSession that is still live (the same check as auth.ts's jwt callback). */
async function hasLiveSession(headers: Headers): Promise<boolean> {
  const { AUTH_SECRET, AUTH_URL } = env();
  const secureCookie = AUTH_URL?.startsWith("https://") ?? false;
  const token = await getToken({ req: { headers }, secret: AUTH_SECRET, secureCookie }).catch(() => null);
  if (typeof token?.sid !== "string") return false;
  // A database that cannot answer is not a verdict on the visitor: the page checks again and says what failed.
  return touchSession(token.sid).catch(() => true);
}
