import { z } from "zod";
import { guid, INVISIBLE_FORMATTING } from "./common";

export const consentLinkSchema = z.object({ appId: guid });

/** How much of Entra's error_description is kept, shown and recorded. Entra's own are far shorter. */
export const ERROR_DESCRIPTION_MAX = 500;

const INVISIBLE_OR_CONTROL = new RegExp(`${INVISIBLE_FORMATTING.source}|[\\u0000-\\u0008\\u000B-\\u001F\\u007F]`, "g");

/**
 * Whoever sends the admin to the callback chooses this text, so it is cut to ERROR_DESCRIPTION_MAX
 * characters and loses invisible formatting and control characters before anyone sees or records it.
 * It is only ever rendered as text.
 */
const errorDescription = z
  .string()
  .max(4000)
  .transform((text) => {
    const visible = text.replace(INVISIBLE_OR_CONTROL, "").trim();
    return visible.length > ERROR_DESCRIPTION_MAX ? `${visible.slice(0, ERROR_DESCRIPTION_MAX - 1)}…` : visible;
  });

/** What Entra appends to the redirect: success, or error with a description; `state` either way. */
export const consentCallbackSchema = z.object({
  admin_consent: z.string().max(10).optional(),
  tenant: z.string().max(64).optional(),
  scope: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(100).regex(/^[\w.-]*$/).optional(),
  error_description: errorDescription.optional(),
});
