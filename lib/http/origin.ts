/* Pure and free of server-only imports: the server-action check (same-origin.ts) and proxy.ts share it. */

/**
 * S3: every change must come from the portal's own pages. Browsers send Origin on every POST, so a
 * write without it (or with `null`, or another site's) did not come from a page of ours. Next.js refuses
 * a foreign Origin on server actions but lets a missing one through with a warning; this check refuses
 * all three, before any input is read, and holds for route handlers too.
 */
export const CROSS_ORIGIN_MESSAGE =
  "This change was refused because it did not come from the portal's own pages. Nothing was changed. Open the portal in your browser and try again from there.";

export type OriginVerdict = "same-origin" | "missing" | "null" | "foreign";

/** The portal's public origin (AUTH_URL), or null when it is not configured. */
export function portalOrigin(authUrl: string | undefined): string | null {
  return authUrl ? new URL(authUrl).origin : null;
}

/**
 * Whether a request with these headers comes from the portal's own origin. Without AUTH_URL the
 * expected host is the one the request was addressed to (X-Forwarded-Host, else Host), as Next checks.
 */
export function originVerdict(list: Headers, expectedOrigin: string | null): OriginVerdict {
  const origin = list.get("origin")?.trim();
  if (!origin) return "missing";
  if (origin === "null") return "null";
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return "foreign";
  }
  // An Origin header is scheme://host[:port] and nothing else; anything more was not written by a browser.
  if (parsed.origin !== origin.toLowerCase()) return "foreign";
  if (expectedOrigin) return parsed.origin === expectedOrigin ? "same-origin" : "foreign";
  const host = list.get("x-forwarded-host")?.split(",")[0]?.trim() || list.get("host");
  return host && parsed.host === host.toLowerCase() ? "same-origin" : "foreign";
}

