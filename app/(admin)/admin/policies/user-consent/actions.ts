"use server";

import { wizardAction } from "@/lib/consent/engine/wizard";
import { userConsentWizard } from "@/lib/consent/user-consent";

/** PATCH authorizationPolicy to one of the four user consent options, keeping every ForOwnedResource entry. */
export const applyUserConsent = wizardAction(userConsentWizard);
