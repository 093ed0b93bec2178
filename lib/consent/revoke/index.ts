import "server-only";
import { isInCatalog } from "@/lib/catalog";
import { recordRevokeInBaseline, type RevokeTouch } from "@/lib/baseline/record";
import type { Wizard } from "../engine/wizard";
import { executeRevoke } from "./execute";
import { loadRevoke, type RevokeWizardPlan } from "./load";
import { revokeSchema, revokeSelectionFrom, type RevokeInput } from "./schema";

/** Revoke and restrict (seed 001): scopes of the tenant-wide grant, application permissions, one user's own consent, or the whole app (blocked or deleted). */
export const revokeWizard: Wizard<RevokeInput, RevokeWizardPlan> = {
  roles: ["admin"],
  schema: revokeSchema,
  load: loadRevoke,
  execute: async (context, { app, plan }, input) => {
    const steps = await executeRevoke({ ...context, appId: app.appId }, plan, app.displayName);
    // What the tenant, read back, no longer holds of what was chosen leaves the approved baseline.
    const baseline = await recordRevokeInBaseline(context, { appId: app.appId, displayName: app.displayName, touched: touchedBy(input) });
    return baseline ? [...steps, baseline] : steps;
  },
  describe: ({ app, plan }) => ({
    done: plan.deleteServicePrincipal
      ? `${app.displayName} was deleted from the tenant.`
      : plan.block
        ? `${app.displayName} is blocked: sign-in is disabled, assignment is required and its grants are removed.`
        : `Consent revoked for ${app.displayName}.`,
    notes: plan.deleteServicePrincipal && plan.consentAgain?.possible ? [`Users can consent to ${app.displayName} again: ${plan.consentAgain.reason}`] : [],
    unchanged: "Nothing changed: nothing you chose was granted any more.",
    // An app the catalog does not list has no page once it is deleted: re-rendering would replace the result with a 404.
    revalidate: plan.deleteServicePrincipal && !isInCatalog(app) ? [] : [`/admin/apps/${app.appId}`],
  }),
};

/** What a revoke's choice may remove: deleting or blocking the app removes every grant. */
function touchedBy(input: RevokeInput): RevokeTouch {
  if (input.del === "yes" || input.block === "yes") return { everything: true };
  const { selection } = revokeSelectionFrom(input);
  return {
    everything: false,
    permissions: [
      ...selection.scopes.flatMap((s) => s.scopes.map((value) => ({ resourceAppId: s.resourceAppId, consentType: "AllPrincipals" as const, value }))),
      ...selection.appRoles.flatMap((r) => r.values.map((value) => ({ resourceAppId: r.resourceAppId, consentType: "Application" as const, value }))),
    ],
    usersOwnConsent: selection.users.length > 0,
  };
}
