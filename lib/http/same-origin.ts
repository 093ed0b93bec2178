import "server-only";
import { headers } from "next/headers";
import { env } from "@/lib/env";
import { CROSS_ORIGIN_MESSAGE, originVerdict, portalOrigin, type OriginVerdict } from "./origin";

export { CROSS_ORIGIN_MESSAGE } from "./origin";

function verdictFor(list: Headers): OriginVerdict {
  const verdict = originVerdict(list, portalOrigin(env().AUTH_URL));
  // The reason only, never the header's value: it is the sender's free text.
  if (verdict !== "same-origin") console.warn(`refused a write: Origin ${verdict}`);
  return verdict;
}

/** For server actions: the refusal message, or null when the request comes from the portal's own pages. */
export async function crossOriginRefusal(): Promise<string | null> {
  return verdictFor(await headers()) === "same-origin" ? null : CROSS_ORIGIN_MESSAGE;
}

/** For route handlers that write: a 403 to return as is, or null to go on. Call it before reading the body. */
export function crossOriginResponse(request: Request): Response | null {
  if (verdictFor(request.headers) === "same-origin") return null;
  return Response.json({ ok: false, message: CROSS_ORIGIN_MESSAGE }, { status: 403 });
}
