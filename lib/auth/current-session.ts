import "server-only";
import { getToken } from "next-auth/jwt";
import { headers } from "next/headers";
import { env } from "@/lib/env";

/**
 * The id of the signed-in person's server-side session, read from the encrypted session cookie.
 * Kept out of the session object itself, which Auth.js also serves to the browser.
 */
export async function currentSessionId(): Promise<string | null> {
  const { AUTH_SECRET, AUTH_URL } = env();
  const secureCookie = AUTH_URL?.startsWith("https://") ?? false;
  const token = await getToken({ req: { headers: await headers() }, secret: AUTH_SECRET, secureCookie });
  return typeof token?.sid === "string" ? token.sid : null;
}
