import { z } from "zod";
import { guid } from "./common";

export const consentLinkSchema = z.object({ appId: guid });

/** What Entra appends to the redirect: success, or error with a description; `state` either way. */
export const consentCallbackSchema = z.object({
  admin_consent: z.string().max(10).optional(),
  tenant: z.string().max(64).optional(),
  scope: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(100).optional(),
  error_description: z.string().max(2000).optional(),
});
