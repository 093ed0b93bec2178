import { z } from "zod";

/** An Entra object or application ID (any GUID; Microsoft's first-party app IDs are not RFC 4122 v4). */
export const guid = z.guid({ error: "Must be a GUID like 00000000-0000-0000-0000-000000000000." }).transform((value) => value.toLowerCase());

/** Why a change is made: required, kept short enough to read in the audit trail, trimmed. */
export const justification = z
  .string({ error: "Say why you are making this change." })
  .trim()
  .min(10, "Say why in at least 10 characters.")
  .max(500, "Keep the justification under 500 characters.");

/** A checkbox group: absent, one value, or several. */
export const stringList = z.union([z.string(), z.array(z.string())]).optional().transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
