import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeUserConsent } from "./execute";
import { loadUserConsent } from "./load";
import { USER_CONSENT_OPTIONS, type UserConsentPlan } from "./plan";
import { userConsentApplySchema, type UserConsentInput } from "./schema";

/** User consent settings (seeds 000–002): do not allow / verified publishers and low-impact permissions / all apps. */
export const userConsentWizard: Wizard<UserConsentInput, UserConsentPlan> = {
  roles: ["admin"],
  schema: userConsentApplySchema,
  load: loadUserConsent,
  execute: executeUserConsent,
  describe: (plan, input) => ({
    done: `User consent is now: ${USER_CONSENT_OPTIONS[input.choice].title}.`,
    unchanged: "The tenant already has this setting: nothing was changed.",
    before: plan.beforeWords,
    after: plan.afterWords,
    notes: plan.kept.length ? [`Kept untouched: ${plan.kept.join(", ")}.`] : [],
    revalidate: ["/admin/policies"],
  }),
};
