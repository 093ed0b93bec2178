import "server-only";
import type { Wizard } from "../engine/wizard";
import { executeRevoke } from "./execute";
import { loadRevoke, type RevokeWizardPlan } from "./load";
import { revokeSchema, type RevokeInput } from "./schema";

/** Revoke and restrict (seed 001): scopes of the tenant-wide grant, application permissions, one user's own consent, or the whole app (blocked or deleted). */
export const revokeWizard: Wizard<RevokeInput, RevokeWizardPlan> = {
  roles: ["admin"],
  schema: revokeSchema,
  load: loadRevoke,
  execute: (context, { app, plan }) => executeRevoke({ ...context, appId: app.appId }, plan, app.displayName),
  describe: ({ app, plan }) => ({
    done: plan.deleteServicePrincipal
      ? `${app.displayName} was deleted from the tenant.`
      : plan.block
        ? `${app.displayName} is blocked: sign-in is disabled, assignment is required and its grants are removed.`
        : `Consent revoked for ${app.displayName}.`,
    notes: plan.deleteServicePrincipal && plan.consentAgain?.possible ? [`Users can consent to ${app.displayName} again: ${plan.consentAgain.reason}`] : [],
    unchanged: "Nothing changed: nothing you chose was granted any more.",
    revalidate: [`/admin/apps/${app.appId}`],
  }),
};
