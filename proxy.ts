import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

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

export function proxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  // Not on build assets: they are immutable files, not documents, and need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
