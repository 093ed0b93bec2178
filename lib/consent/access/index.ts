import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeAccess } from "./execute";
import { loadAccess, type AccessWizardPlan } from "./load";
import { accessSchema, type AccessInput } from "./schema";

/** Restrict and assign (seed 003): require assignment and assign users and groups, disable sign-in, hide the app. */
export const accessWizard: Wizard<AccessInput, AccessWizardPlan> = {
  roles: ["admin"],
  schema: accessSchema,
  load: loadAccess,
  execute: (context, { app, plan }) => executeAccess({ ...context, appId: app.appId }, plan, app.displayName),
  describe: ({ app }) => ({
    done: `Access to ${app.displayName} updated.`,
    unchanged: "Nothing changed: everything you chose was already so.",
    revalidate: [`/admin/apps/${app.appId}`],
  }),
};
