"use server";

import { classificationsWizard } from "@/lib/consent/classifications";
import { wizardAction } from "@/lib/consent/engine/wizard";

/** POST / DELETE delegatedPermissionClassifications on Microsoft Graph's service principal, one audited, locked, read-back step each. */
export const applyClassifications = wizardAction(classificationsWizard);
