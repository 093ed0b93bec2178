import { z } from "zod";
import type { RevokeSelection } from "./plan";
import { guid, justification, stringList } from "@/lib/validations/common";

/**
 * The revoke wizard's choice travels as `s=<API appId>|<scope>` (tenant-wide scope to remove),
 * `r=<API appId>|<app role>` (application permission to remove), `u=<user object id>` (that user's own
 * consent) and `del=yes` (delete the service principal). Values of the wrong shape are rejected here;
 * the plan then acts only on what is actually granted in the tenant (S8): nothing else can be touched.
 */
const PERMISSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;

type ChoiceValues = { s: string[]; r: string[]; u: string[]; del?: string; block?: string };

export function revokeSelectionFrom(values: ChoiceValues): { selection: RevokeSelection; invalid: string[] } {
  const invalid: string[] = [];
  const scopes = new Map<string, string[]>();
  const appRoles = new Map<string, string[]>();
  for (const [kind, list] of [["s", values.s], ["r", values.r]] as const) {
    for (const value of list) {
      const [rawApi = "", name = "", ...rest] = value.split("|");
      const api = guid.safeParse(rawApi);
      if (!api.success || !PERMISSION_NAME.test(name) || rest.length > 0) {
        invalid.push(value);
        continue;
      }
      const target = kind === "s" ? scopes : appRoles;
      target.set(api.data, [...new Set([...(target.get(api.data) ?? []), name])]);
    }
  }
  const users: string[] = [];
  for (const value of values.u) {
    const id = guid.safeParse(value);
    if (id.success) users.push(id.data);
    else invalid.push(value);
  }
  return {
    selection: {
      scopes: [...scopes].map(([resourceAppId, list]) => ({ resourceAppId, scopes: list })),
      appRoles: [...appRoles].map(([resourceAppId, list]) => ({ resourceAppId, values: list })),
      users: [...new Set(users)],
      deleteServicePrincipal: values.del === "yes",
      block: values.block === "yes",
    },
    invalid,
  };
}

export const revokeSelectionSchema = z.object({ s: stringList, r: stringList, u: stringList, del: z.string().optional().catch(undefined), block: z.string().optional().catch(undefined) });

/**
 * Deleting is confirmed twice: the Confirm button, and a second, explicit confirmation. "consent-again"
 * acknowledges the preview's warning that users could consent to the app again afterwards; "yes" is
 * enough only while they could not (load refuses "yes" once they could).
 */
export const DELETE_CONFIRMATIONS = ["yes", "consent-again"] as const;

export const revokeSchema = z
  .object({
    appId: guid,
    s: stringList,
    r: stringList,
    u: stringList,
    del: z.enum(["yes"]).optional(),
    block: z.enum(["yes"]).optional(),
    confirmDelete: z.enum(DELETE_CONFIRMATIONS).optional(),
    justification,
  })
  .refine((value) => value.del !== "yes" || value.confirmDelete !== undefined, {
    error: "Confirm that the app is to be deleted from the tenant: tick the box above the button.",
    path: ["confirmDelete"],
  });

/** The query string that brings the wizard back to the same choice (change it, or retry the rest). */
export function revokeQuery(values: ChoiceValues, step?: "preview"): string {
  const pairs: [string, string][] = [...(step ? [["step", step] as [string, string]] : []), ...values.s.map((v) => ["s", v] as [string, string]), ...values.r.map((v) => ["r", v] as [string, string]), ...values.u.map((v) => ["u", v] as [string, string])];
  if (values.del === "yes") pairs.push(["del", "yes"]);
  if (values.block === "yes") pairs.push(["block", "yes"]);
  return new URLSearchParams(pairs).toString();
}

export type RevokeInput = z.output<typeof revokeSchema>;
