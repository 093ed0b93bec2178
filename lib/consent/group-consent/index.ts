import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeGroupConsent } from "./execute";
import { loadGroupConsent, type GroupConsentChangePlan } from "./load";
import { groupConsentApplySchema, type GroupConsentInput } from "./schema";

/** Group-owner consent (seed 002): whether owners of Microsoft 365 groups may consent to apps for their group. */
export const groupConsentWizard: Wizard<GroupConsentInput, GroupConsentChangePlan> = {
  roles: ["admin"],
  schema: groupConsentApplySchema,
  load: loadGroupConsent,
  execute: (context, plan) => executeGroupConsent(context, plan),
  describe: (plan) => ({
    done: `Group-owner consent is saved. ${plan.afterWords}`,
    unchanged: "The tenant already has this setting: nothing was changed.",
    before: [plan.beforeWords],
    after: [plan.afterWords],
    revalidate: ["/admin/policies"],
  }),
};
