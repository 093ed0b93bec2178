import { z } from "zod";
import type { AccessSelection, PrincipalType } from "./plan";
import { guid, justification, stringList, visibleText } from "@/lib/validations/common";

/**
 * The restrict-and-assign wizard's choice: `req`, `signin` and `vis` switches (keep/on/off,
 * keep/show/hide), `a=User|<id>` or `a=Group|<id>` to assign, `x=<assignment id>` to unassign, `role`
 * (the app's own role, when it has any). Principals are then looked up in the directory and assignments
 * in the tenant: nothing that does not exist there is acted on (S8).
 */
const toggle = z.enum(["keep", "on", "off"]).catch("keep");
const visibility = z.enum(["keep", "show", "hide"]).catch("keep");
const ASSIGNMENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const accessSelectionSchema = z.object({
  req: toggle,
  signin: toggle,
  vis: visibility,
  a: stringList,
  x: stringList,
  role: z.string().optional().catch(undefined),
  /** Directory search text (the Choose step only). */
  q: visibleText(z.string().trim().max(64)).optional().catch(undefined),
});

export const accessSchema = z.object({
  appId: guid,
  req: z.enum(["keep", "on", "off"]).default("keep"),
  signin: z.enum(["keep", "on", "off"]).default("keep"),
  vis: z.enum(["keep", "show", "hide"]).default("keep"),
  a: stringList,
  x: stringList,
  role: guid.optional(),
  justification,
});

type Values = { req: "keep" | "on" | "off"; signin: "keep" | "on" | "off"; vis: "keep" | "show" | "hide"; a: string[]; x: string[]; role?: string };

export function accessSelectionFrom(values: Values): { selection: AccessSelection; invalid: string[] } {
  const invalid: string[] = [];
  const assign: { type: PrincipalType; id: string }[] = [];
  for (const value of values.a) {
    const [type = "", rawId = "", ...rest] = value.split("|");
    const id = guid.safeParse(rawId);
    if ((type !== "User" && type !== "Group") || !id.success || rest.length > 0) invalid.push(value);
    else assign.push({ type, id: id.data });
  }
  const unassign = values.x.filter((id) => {
    const ok = ASSIGNMENT_ID.test(id);
    if (!ok) invalid.push(id);
    return ok;
  });
  let appRoleId: string | null = null;
  if (values.role) {
    const role = guid.safeParse(values.role);
    if (role.success) appRoleId = role.data;
    else invalid.push(values.role);
  }
  return {
    selection: { assignmentRequired: values.req, signIn: values.signin, visibility: values.vis, assign, unassign: [...new Set(unassign)], appRoleId },
    invalid,
  };
}

export function nothingChosen(selection: AccessSelection): boolean {
  return selection.assignmentRequired === "keep" && selection.signIn === "keep" && selection.visibility === "keep" && selection.assign.length === 0 && selection.unassign.length === 0;
}

/** The query string that brings the wizard back to the same choice. */
export function accessQuery(values: Values & { q?: string }, step?: "preview"): string {
  const pairs: [string, string][] = [];
  if (step) pairs.push(["step", step]);
  pairs.push(["req", values.req], ["signin", values.signin], ["vis", values.vis]);
  for (const a of values.a) pairs.push(["a", a]);
  for (const x of values.x) pairs.push(["x", x]);
  if (values.role) pairs.push(["role", values.role]);
  return new URLSearchParams(pairs).toString();
}

export type AccessInput = z.output<typeof accessSchema>;
