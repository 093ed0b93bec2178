"use server";

import { wizardAction } from "@/lib/consent/engine/wizard";
import { groupConsentWizard } from "@/lib/consent/group-consent";

/** PATCH (or, where only the template exists, POST) the beta group consent directory setting. */
export const applyGroupConsent = wizardAction(groupConsentWizard);
