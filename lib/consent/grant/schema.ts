import { z } from "zod";
import type { CatalogPermissions } from "@/lib/catalog";
import type { GrantSelection } from "./plan";
import { guid, justification, stringList } from "@/lib/validations/common";

/**
 * A wizard selection travels as `d=<resource appId>|<scope>` (delegated) and `r=<resource appId>|<app role>`
 * pairs. Only permissions the app's catalog entry lists are accepted (S8): nothing can be smuggled in.
 */
export function selectionFrom(values: { d: string[]; r: string[] }, permissions: CatalogPermissions): { selection: GrantSelection; unknown: string[] } {
  const unknown: string[] = [];
  const delegated = new Map<string, string[]>();
  const appRoles = new Map<string, string[]>();
  for (const [kind, list] of [["d", values.d], ["r", values.r]] as const) {
    for (const value of list) {
      const [resourceAppId = "", name = ""] = value.split("|");
      const entry = permissions.find((p) => p.resourceAppId === resourceAppId.toLowerCase());
      const allowed = kind === "d" ? entry?.scopes : entry?.appRoles;
      const match = allowed?.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
      if (!entry || !match) {
        unknown.push(value);
        continue;
      }
      const target = kind === "d" ? delegated : appRoles;
      target.set(entry.resourceAppId, [...new Set([...(target.get(entry.resourceAppId) ?? []), match])]);
    }
  }
  return {
    selection: {
      delegated: [...delegated].map(([resourceAppId, scopes]) => ({ resourceAppId, scopes })),
      appRoles: [...appRoles].map(([resourceAppId, names]) => ({ resourceAppId, values: names })),
    },
    unknown,
  };
}

export const grantSelectionSchema = z.object({ d: stringList, r: stringList });
/** The request a preview URL approves (`request=<portal request id>` or `entraRequest=<Entra request id>`); anything malformed is dropped. */
export const grantRequestQuerySchema = z
  .object({ request: z.uuid().optional().catch(undefined), entraRequest: guid.optional().catch(undefined) })
  .transform(({ request, entraRequest }) => ({ requestId: request, entraRequestId: entraRequest }));

/** An optional id a form sends as "" when absent. */
const optional = <T extends z.ZodType<string>>(schema: T) => z.union([z.literal("").transform(() => undefined), schema]).optional();

export const grantConsentSchema = z.object({
  appId: guid,
  d: stringList,
  r: stringList,
  /** Approving a portal approval request (its id) or one of Entra's consent requests: the grant names it, and marks it approved once it holds. */
  requestId: optional(z.uuid({ error: "That is not a request ID." })),
  entraRequestId: optional(guid),
  justification,
});

export type GrantInput = z.output<typeof grantConsentSchema>;
