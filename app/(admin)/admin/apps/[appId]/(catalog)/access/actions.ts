"use server";

import { accessWizard } from "@/lib/consent/access";
import { wizardAction } from "@/lib/consent/engine/wizard";

/** Restricts one catalog app and assigns or unassigns users and groups (seed 003). */
export const restrictAndAssignAction = wizardAction(accessWizard);
