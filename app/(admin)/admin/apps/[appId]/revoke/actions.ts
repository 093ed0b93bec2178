"use server";

import { wizardAction } from "@/lib/consent/engine/wizard";
import { revokeWizard } from "@/lib/consent/revoke";

/** Revokes the chosen consent of one catalog app: scopes, application permissions, users' own consent, or the whole app. */
export const revokeConsentAction = wizardAction(revokeWizard);
