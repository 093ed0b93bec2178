import "server-only";
import { z } from "zod";
import { auth } from "@/auth";
import type { SignedInUser } from "@/lib/auth/guards";
import type { AuditActor, AuditRequestContext } from "@/lib/audit";
import { requestContext } from "@/lib/http/request-context";
import { crossOriginRefusal } from "@/lib/http/same-origin";
import type { PortalRole } from "@/lib/roles";
import type { ActionResult } from "./result";

export type ActionContext = { user: SignedInUser; actor: AuditActor; request: AuditRequestContext };

/** FormData as a plain object: repeated names (checkbox groups) become arrays. */
export function formDataObject(formData: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * Wraps a server action so it refuses requests that did not come from the portal's own pages (S3) and
 * authorizes itself (S1), both before reading any input, validates the input with
 * `schema` (S8) and hands the handler typed input plus who is acting. Server actions are public POST
 * endpoints: a page's own check does not protect them.
 */
export function authorizedAction<S extends z.ZodType, T>(
  roles: readonly PortalRole[],
  schema: S,
  handler: (input: z.output<S>, context: ActionContext) => Promise<ActionResult<T>>,
) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
    const crossOrigin = await crossOriginRefusal();
    if (crossOrigin) return { ok: false, message: crossOrigin };
    const session = await auth();
    const user = session?.user;
    if (!user) return { ok: false, message: "Your session has ended. Sign in again to continue." };
    if (!roles.includes(user.role)) return { ok: false, message: "Your role does not allow this change." };
    const parsed = schema.safeParse(formDataObject(formData));
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "form");
        (fieldErrors[key] ??= []).push(issue.message);
      }
      return { ok: false, message: "Some of the input is not valid. Nothing was changed.", fieldErrors };
    }
    const actor: AuditActor = { oid: user.oid, tid: user.tid, upn: user.upn, name: user.name, roles: user.entraRoles };
    return handler(parsed.data, { user, actor, request: await requestContext() });
  };
}
