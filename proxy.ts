import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { strictTransportSecurity } from "@/lib/http/hsts";
import { FORM_BODY_LIMIT_BYTES, FORM_TOO_LARGE_MESSAGE } from "@/lib/http/limits";

/**
 * S7: a Content-Security-Policy with a fresh nonce on every response. Next reads the nonce back from
 * the request's CSP header while rendering and puts it on its own scripts, so only those run; with
 * 'strict-dynamic' the scripts they load are trusted and nothing else is (no host allow-list to keep).
 * Every page is rendered per request (they all read the session), which a nonce needs.
 */
function contentSecurityPolicy(nonce: string): string {
  // React needs eval only in development, for its error stacks.
  const devEval = env().NODE_ENV === "development" ? " 'unsafe-eval'" : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${devEval}`,
    // Tailwind is one compiled stylesheet; Next's few inline styles carry the nonce.
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * S23: a post larger than any form of the portal is answered here, before Next reads it. Next would
 * fail a server action over its limit with a bare 500; its client shows the text of a text/plain error
 * response instead (exactly that content type), so the person sees what happened (app/error.tsx).
 * A body sent without Content-Length still meets Next's own limit (next.config.js).
 */
function tooLarge(request: NextRequest): NextResponse | null {
  if (request.method !== "POST") return null;
  const length = Number(request.headers.get("content-length") ?? 0);
  if (!(length > FORM_BODY_LIMIT_BYTES)) return null;
  return new NextResponse(FORM_TOO_LARGE_MESSAGE, { status: 413, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}

export function proxy(request: NextRequest) {
  // S7: decided at run time from AUTH_URL (next.config.js headers are fixed when the portal is built).
  const hsts = strictTransportSecurity(env().AUTH_URL);
  const refused = tooLarge(request);
  if (refused) {
    if (hsts) refused.headers.set("Strict-Transport-Security", hsts);
    return refused;
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Not on build assets: they are immutable files, not documents, and need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
