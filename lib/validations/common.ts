import { z } from "zod";

/** An Entra object or application ID (any GUID; Microsoft's first-party app IDs are not RFC 4122 v4). */
export const guid = z.guid({ error: "Must be a GUID like 00000000-0000-0000-0000-000000000000." }).transform((value) => value.toLowerCase());

/**
 * Characters that change how text is displayed without being seen themselves: bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), the Arabic letter mark (U+061C), zero-width
 * spaces and joiners and the direction marks (U+200B–U+200F), the word joiner (U+2060) and the byte
 * order mark (U+FEFF). In an app name or a justification they let text in the audit trail read as
 * something other than what was stored, so free text refuses them (S9).
 */
export const INVISIBLE_FORMATTING = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

export const INVISIBLE_FORMATTING_MESSAGE =
  "Remove the invisible formatting characters (text direction or zero-width characters, often pasted along with text): they can make the text display differently from what it says.";

/** The one check every free-text field shares: refuses INVISIBLE_FORMATTING with a field error. */
export function visibleText<T extends z.ZodType<string | undefined>>(schema: T): T {
  return schema.refine((value) => value === undefined || !INVISIBLE_FORMATTING.test(value), INVISIBLE_FORMATTING_MESSAGE) as T;
}

/** Why a change is made: required, kept short enough to read in the audit trail, trimmed. */
export const justification = visibleText(
  z
    .string({ error: "Say why you are making this change." })
    .trim()
    .min(10, "Say why in at least 10 characters.")
    .max(500, "Keep the justification under 500 characters."),
);

/** A checkbox group: absent, one value, or several. */
export const stringList = z.union([z.string(), z.array(z.string())]).optional().transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
