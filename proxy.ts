import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { strictTransportSecurity } from "@/lib/http/hsts";
import { CROSS_ORIGIN_MESSAGE, originVerdict, portalOrigin } from "@/lib/http/origin";
import { gateFor } from "@/lib/auth/signed-in-only";
import { sealVerifiedSession, VERIFIED_SESSION_HEADER } from "@/lib/auth/verified-session";
import { FORM_BODY_LIMIT_BYTES, FORM_TOO_LARGE_MESSAGE, FORM_UNREADABLE_MESSAGE } from "@/lib/http/limits";

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
  return plainRefusal(FORM_TOO_LARGE_MESSAGE, 413);
}

/** A C0 control character (or DEL) in a multipart part's header line: no form of the portal sends one. */
const CONTROL_IN_PART_HEADER = /^content-disposition:[^\r\n]*[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/im;

/**
 * S23: a server action post whose part headers hold a control character (a field name such as
 * `a\u0001b`) is refused here in plain words: Next's multipart parser would reject it and answer with a
 * bare 500 before any action runs. Only server action posts are read, and only up to the size limit.
 */
async function unreadableForm(request: NextRequest): Promise<NextResponse | null> {
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  if (!request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data")) return null;
  const body = await request.clone().arrayBuffer();
  if (body.byteLength > FORM_BODY_LIMIT_BYTES) return plainRefusal(FORM_TOO_LARGE_MESSAGE, 413);
  if (!CONTROL_IN_PART_HEADER.test(new TextDecoder("latin1").decode(body))) return null;
  return plainRefusal(FORM_UNREADABLE_MESSAGE, 400);
}

function plainRefusal(message: string, status: number): NextResponse {
  return new NextResponse(message, { status, headers: { "content-type": "text/plain", "cache-control": "no-store" } });
}

/**
 * S3: a server action posted with a `null` or another site's Origin is refused here, in plain words and
 * with 403, before Next reads it (Next's own check would answer with a bare 500). A post without any
 * Origin reaches the action, whose own check (lib/http/same-origin.ts) answers it in the form.
 */
function crossSite(request: NextRequest): NextResponse | null {
  if (request.method !== "POST" || !request.headers.has("next-action") || !request.headers.has("origin")) return null;
  return originVerdict(request.headers, portalOrigin(env().AUTH_URL)) === "same-origin" ? null : plainRefusal(CROSS_ORIGIN_MESSAGE, 403);
}

export async function proxy(request: NextRequest) {
  // S7: decided at run time from AUTH_URL (next.config.js headers are fixed when the portal is built).
  const hsts = strictTransportSecurity(env().AUTH_URL);
  const refused = crossSite(request) ?? tooLarge(request) ?? (await unreadableForm(request));
  if (refused) {
    if (hsts) refused.headers.set("Strict-Transport-Security", hsts);
    return refused;
  }
  const gate = await gateFor(request);
  if (gate.kind === "signIn") {
    // On the address the visitor used (NextResponse takes only an absolute Location).
    const redirect = NextResponse.redirect(new URL(gate.path, request.url), 307);
    redirect.headers.set("cache-control", "no-store");
    if (hsts) redirect.headers.set("Strict-Transport-Security", hsts);
    return redirect;
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  // Only this proxy says a session was checked (lib/auth/verified-session.ts): never the visitor.
  headers.delete(VERIFIED_SESSION_HEADER);
  if (gate.kind === "signedIn") headers.set(VERIFIED_SESSION_HEADER, sealVerifiedSession(gate.claims, request.headers.get("cookie") ?? "", env().AUTH_SECRET));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Not on build assets: they are immutable files, not documents, and need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
