import { z } from "zod";
import { guid, justification } from "@/lib/validations/common";

/**
 * Adopting an app into the baseline: the app, the fingerprint of the permissions its preview showed
 * (the action re-reads the tenant and refuses if they differ, so what is saved is exactly what the
 * admin saw), and why. Nothing about the permissions themselves comes from the form.
 */
export const adoptSchema = z.object({
  appId: guid,
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, { error: "Open the preview again: its fingerprint is missing." }),
  justification,
});

export type AdoptInput = z.output<typeof adoptSchema>;
