import { z } from "zod";
import { justification } from "@/lib/validations/common";
import { USER_CONSENT_CHOICES } from "./plan";

export const userConsentChoiceSchema = z.object({
  choice: z.enum(USER_CONSENT_CHOICES, { error: "Choose one of the four options." }),
});
export const userConsentApplySchema = userConsentChoiceSchema.extend({ justification });
export type UserConsentInput = z.output<typeof userConsentApplySchema>;
