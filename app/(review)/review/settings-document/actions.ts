"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { compareDocument, compareDocumentSchema } from "@/lib/settings-document/actions";

/** Reads only: the document against the tenant now, section by section. */
export const compareSettingsDocument = authorizedAction(["reviewer", "admin"], compareDocumentSchema, compareDocument);
