import { z } from "zod";
import { visibleText } from "./common";

export const addCatalogAppSchema = z.object({
  reference: visibleText(z.string().max(4000, "That is too long to be an app ID or a URL.")),
  displayName: visibleText(z.string().trim().max(120, "Keep the name under 120 characters.")).optional().transform((value) => value || undefined),
  /** Delegated Microsoft Graph scope names, separated by spaces or commas. */
  permissions: visibleText(z.string().max(4000)).optional().transform((value) => (value ?? "").split(/[\s,]+/).filter(Boolean)),
});
