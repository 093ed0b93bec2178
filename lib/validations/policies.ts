import { z } from "zod";
import { isPublishedGraphPermission } from "@/lib/permissions";
import { parseReviewerKey } from "@/lib/consent/policies/consent-workflow";
import { GROUP_CONSENT_MODES } from "@/lib/consent/policies/group-consent";
import { guid, justification, stringList, visibleText } from "./common";

/** A checkbox ("on") or a hidden carry-over ("true"/"false"); absent means off. */
const flag = z
  .enum(["on", "true", "false"], { error: "Must be on or off." })
  .optional()
  .transform((value) => value === "on" || value === "true");

// ── user consent ─────────────────────────────────────────────────────────────────────────────


// ── admin consent workflow ───────────────────────────────────────────────────────────────────
export const workflowSettingsSchema = z.object({
  isEnabled: flag,
  notifyReviewers: flag,
  remindersEnabled: flag,
  requestDurationInDays: z.coerce
    .number({ error: "Give the expiry as a number of days." })
    .int("Give a whole number of days.")
    .min(1, "Requests must expire after at least 1 day.")
    .max(30, "Requests can wait at most 30 days."),
  reviewer: stringList.pipe(
    z
      .array(z.string().max(50))
      .max(25, "Choose at most 25 reviewers.")
      .transform((keys, ctx) =>
        keys.flatMap((key) => {
          const reviewer = parseReviewerKey(key);
          if (!reviewer) ctx.addIssue({ code: "custom", message: "A reviewer is not a user, group or role of this tenant." });
          return reviewer ? [reviewer] : [];
        }),
      ),
  ),
});
export const workflowApplySchema = workflowSettingsSchema.extend({
  justification,
  // The workflow as the admin previewed it: a PUT replaces the whole policy, so a change made by someone
  // else since then must not be overwritten unseen.
  basis: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Preview the change again before saving it."),
});

/** Directory search text for reviewers: plain words only (it goes into an OData startswith). */
export const directorySearchSchema = visibleText(
  z
    .string()
    .trim()
    .max(60, "Search with at most 60 characters.")
    .regex(/^[\p{L}\p{N} .,'_@-]*$/u, "Search with letters, digits and spaces only."),
);

// ── classifications ──────────────────────────────────────────────────────────────────────────
const permissionNames = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  // One text box may hold several names, separated by commas or spaces.
  .transform((values) => values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean))
  .pipe(
    z
      .array(
        z
          .string()
          .max(100)
          .refine((name) => isPublishedGraphPermission("delegated", name), { error: (issue) => `'${String(issue.input)}' is not a Microsoft Graph delegated permission.` }),
      )
      .max(50, "Change at most 50 permissions at once."),
  );

export const classificationChangeSchema = z
  .object({ add: permissionNames, remove: permissionNames })
  .refine((value) => value.add.length + value.remove.length > 0, { error: "Choose at least one permission to add or remove.", path: ["add"] });
export const classificationApplySchema = z.object({ add: permissionNames, remove: permissionNames, justification });

// ── group-owner consent ──────────────────────────────────────────────────────────────────────
export const groupConsentChoiceSchema = z
  .object({
    mode: z.enum(GROUP_CONSENT_MODES, { error: "Choose who may consent as a group owner." }),
    groupId: z.union([z.literal("").transform(() => null), guid]).optional().transform((value) => value ?? null),
  })
  .refine((value) => value.mode !== "group" || value.groupId !== null, { error: "Choose the group whose members may consent.", path: ["groupId"] });
export const groupConsentApplySchema = z
  .object({
    mode: z.enum(GROUP_CONSENT_MODES, { error: "Choose who may consent as a group owner." }),
    groupId: z.union([z.literal("").transform(() => null), guid]).optional().transform((value) => value ?? null),
    justification,
  })
  .refine((value) => value.mode !== "group" || value.groupId !== null, { error: "Choose the group whose members may consent.", path: ["groupId"] });

/** Next's searchParams as the object a schema expects (drops undefined). */
export function searchParamsObject(params: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined));
}
