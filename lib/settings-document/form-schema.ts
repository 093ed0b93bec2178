import { z } from "zod";
import { justification } from "@/lib/validations/common";
import { MAX_DOCUMENT_CHARS } from "./serialize";

/** The settings-document actions' forms (pure, so tests can check forms against the same schemas). */

const documentText = z
  .string({ error: "Upload or paste a consent settings document." })
  .min(1, "Upload or paste a consent settings document.")
  .max(MAX_DOCUMENT_CHARS, "The document is too large to be a consent settings document.");

export const compareDocumentSchema = z.object({ document: documentText });
export const applyDocumentSchema = z.object({
  document: documentText,
  // The tenant's settings as previewed: applying is refused if they changed since.
  fingerprint: z.string({ error: "Compare the document with the tenant before applying it." }).regex(/^[A-Za-z0-9_-]{43}$/, "Compare the document with the tenant before applying it."),
  ack: z.enum(["on"], { error: "The acknowledgment is a checkbox." }).optional(),
  justification,
});
