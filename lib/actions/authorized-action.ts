import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { auth } from "@/auth";
import type { SignedInUser } from "@/lib/auth/guards";
import type { AuditActor, AuditRequestContext } from "@/lib/audit";
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

async function requestContext(): Promise<AuditRequestContext> {
  const list = await headers();
  const forwarded = list.get("x-forwarded-for")?.split(",")[0]?.trim();
  return { clientIp: forwarded || list.get("x-real-ip") || null, userAgent: list.get("user-agent")?.slice(0, 512) ?? null };
}

/**
 * Wraps a server action so it authorizes itself before reading any input (S1), validates the input with
 * `schema` (S8) and hands the handler typed input plus who is acting. Server actions are public POST
 * endpoints: a page's own check does not protect them.
 */
export function authorizedAction<S extends z.ZodType, T>(
  roles: readonly PortalRole[],
  schema: S,
  handler: (input: z.output<S>, context: ActionContext) => Promise<ActionResult<T>>,
) {
  return async (_previous: ActionResult<T> | null, formData: FormData): Promise<ActionResult<T>> => {
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
