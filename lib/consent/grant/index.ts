import "server-only";
import type { Wizard } from "../engine/wizard";
import { justificationWithRequest, settleApprovedRequest } from "./approving";
import { executeGrant } from "./execute";
import { loadGrant, type GrantWizardPlan } from "./load";
import { grantConsentSchema, type GrantInput } from "./schema";

/** Tenant-wide admin consent (seeds 000–002): the app's service principal, delegated scopes for all users, application permissions. */
export const grantWizard: Wizard<GrantInput, GrantWizardPlan> = {
  roles: ["admin"],
  schema: grantConsentSchema,
  load: loadGrant,
  execute: async (context, { app, plan, approving }) => {
    if (!approving) return executeGrant({ ...context, appId: app.appId }, plan, app.displayName);
    // Approving a request: every grant row names it, and it is marked approved once the tenant holds it.
    const steps = await executeGrant({ ...context, justification: justificationWithRequest(context.justification, approving), appId: app.appId }, plan, app.displayName);
    return [...steps, await settleApprovedRequest(context, approving, app.displayName, steps)];
  },
  describe: ({ app }) => ({
    done: `Consent granted for ${app.displayName}.`,
    unchanged: "Nothing changed: everything you selected was already granted.",
    revalidate: [`/admin/apps/${app.appId}`, "/admin/requests", "/admin/entra-requests"],
  }),
};
