"use server";

import { wizardAction } from "@/lib/consent/engine/wizard";
import { grantWizard } from "@/lib/consent/grant";

/** Grants tenant-wide admin consent for the chosen permissions of one catalog app. */
export const grantConsentAction = wizardAction(grantWizard);
