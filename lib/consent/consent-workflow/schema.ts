import { z } from "zod";
import { justification, stringList, visibleText } from "@/lib/validations/common";
import { parseReviewerKey } from "./plan";

/** A checkbox ("on") or a hidden carry-over ("true"/"false"); absent means off. */
const flag = z
  .enum(["on", "true", "false"], { error: "Must be on or off." })
  .optional()
  .transform((value) => value === "on" || value === "true");

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
export type WorkflowInput = z.output<typeof workflowApplySchema>;

/** Directory search text for reviewers: plain words only (it goes into an OData startswith). */
export const directorySearchSchema = visibleText(
  z
    .string()
    .trim()
    .max(60, "Search with at most 60 characters.")
    .regex(/^[\p{L}\p{N} .,'_@-]*$/u, "Search with letters, digits and spaces only."),
);
