import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeGrant } from "./execute";
import { loadGrant, type GrantWizardPlan } from "./load";
import { grantConsentSchema, type GrantInput } from "./schema";

/** Tenant-wide admin consent (seeds 000–002): the app's service principal, delegated scopes for all users, application permissions. */
export const grantWizard: Wizard<GrantInput, GrantWizardPlan> = {
  roles: ["admin"],
  schema: grantConsentSchema,
  load: loadGrant,
  execute: (context, { app, plan }) => executeGrant({ ...context, appId: app.appId }, plan, app.displayName),
  describe: ({ app }) => ({
    done: `Consent granted for ${app.displayName}.`,
    unchanged: "Nothing changed: everything you selected was already granted.",
    revalidate: [`/admin/apps/${app.appId}`],
  }),
};
