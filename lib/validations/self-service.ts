import { z } from "zod";
import { guid, stringList, visibleText } from "./common";
import { JUSTIFICATION_MAX } from "./limits";

export { JUSTIFICATION_MAX };
const HTML_TAG = /<\s*\/?\s*[a-z!?]/i;
// Control characters other than tab and newlines.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why the requester needs the app: required, length-capped, plain text (S8, S9). */
export const requestJustification = visibleText(
  z
    .string({ error: "Say why you need this app." })
    .trim()
    .min(10, "Say why you need the app in at least 10 characters.")
    .max(JUSTIFICATION_MAX, `Keep the justification under ${JUSTIFICATION_MAX} characters.`)
    .refine((value) => !HTML_TAG.test(value), "Write plain text: HTML or script tags are not accepted.")
    .refine((value) => !CONTROL.test(value), "The justification contains control characters."),
);

/** A new approval request: the app, the permissions as `d=<api>|<scope>` / `r=<api>|<role>` pairs (checked against the catalog), and why. */
export const createRequestSchema = z.object({
  appId: guid,
  d: stringList,
  r: stringList,
  /** "yes" when the person cannot name the permissions and describes what they need instead (apps outside the catalog only). */
  described: z.literal("yes").optional().catch(undefined),
  justification: requestJustification,
});

export const requestIdSchema = z.object({ requestId: z.uuid({ error: "That is not a request ID." }) });

export const denyRequestSchema = z.object({
  requestId: z.uuid({ error: "That is not a request ID." }),
  reason: visibleText(
    z
      .string({ error: "Say why the request is denied." })
      .trim()
      .min(5, "Say why the request is denied in at least 5 characters.")
      .max(500, "Keep the reason under 500 characters.")
      .refine((value) => !HTML_TAG.test(value), "Write plain text: HTML or script tags are not accepted."),
  ),
});

/** What a person types or pastes into a search or troubleshooting box (GET query). */
export const pastedTextSchema = visibleText(z.string().max(4000, "That is too long: paste only the error details or the URL.")).optional().transform((value) => value?.trim() ?? "");

/** What a pasted error carried to the status page (`/my-apps/apps/<appId>?code&cid&ts&scope`); anything malformed is dropped. */
export const statusQuerySchema = z.object({
  code: z.string().regex(/^AADSTS\d{5,7}$/).optional().catch(undefined),
  cid: z.uuid().optional().catch(undefined),
  ts: z.iso.datetime().optional().catch(undefined),
  scope: z
    .string()
    .max(2000)
    .regex(/^[\w.\- ]*$/)
    .optional()
    .catch(undefined)
    .transform((value) => (value ?? "").split(" ").filter(Boolean)),
});

/** The troubleshooting form: pasted text and, for admins and reviewers, whose sign-in to look for. */
export const troubleshootSchema = z.object({
  q: pastedTextSchema,
  upn: visibleText(
    z
      .string()
      .trim()
      .max(256)
      .regex(/^[^\s'"<>]+@[^\s'"<>]+$/, "Enter a user principal name like riley@contoso.com."),
  )
    .optional()
    .or(z.literal("").transform(() => undefined)),
});
