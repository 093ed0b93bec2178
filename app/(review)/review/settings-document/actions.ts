"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { compareDocument } from "@/lib/settings-document/actions";
import { compareDocumentSchema } from "@/lib/settings-document/form-schema";

/** Reads only: the document against the tenant now, section by section. */
export const compareSettingsDocument = authorizedAction(["reviewer", "admin"], compareDocumentSchema, compareDocument);
