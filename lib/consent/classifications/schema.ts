import { z } from "zod";
import { isPublishedGraphPermission } from "@/lib/permissions";
import { justification } from "@/lib/validations/common";

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
/** `ack=high-risk`: the admin acknowledged that high-risk permissions become grantable by every user (load checks it is there when needed). */
export const classificationApplySchema = z.object({ add: permissionNames, remove: permissionNames, ack: z.enum(["high-risk"]).optional(), justification });
export type ClassificationInput = z.output<typeof classificationApplySchema>;
