"use server";

import { authorizedAction } from "@/lib/actions/authorized-action";
import { applyDocument } from "@/lib/settings-document/actions";
import { applyDocumentSchema } from "@/lib/settings-document/form-schema";

/** Each changed section through its own wizard (previewed, audited), each changed baseline saved as an audited event. */
export const applySettingsDocument = authorizedAction(["admin"], applyDocumentSchema, applyDocument);
