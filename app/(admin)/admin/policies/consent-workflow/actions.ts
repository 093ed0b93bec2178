"use server";

import { consentWorkflowWizard } from "@/lib/consent/consent-workflow";
import { wizardAction } from "@/lib/consent/engine/wizard";

/** PUT /policies/adminConsentRequestPolicy with the chosen settings and reviewer queries, unless it changed since the preview. */
export const applyConsentWorkflow = wizardAction(consentWorkflowWizard);
