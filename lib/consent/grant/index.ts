import "server-only";
import { recordGrantInBaseline } from "@/lib/baseline/record";
import type { BaselinePermission } from "@/lib/baseline/types";
import type { Wizard } from "../engine/wizard";
import { justificationWithRequest, settleApprovedRequest } from "./approving";
import { executeGrant } from "./execute";
import { loadGrant, type GrantWizardPlan } from "./load";
import type { GrantPlan } from "./plan";
import { grantConsentSchema, type GrantInput } from "./schema";

/** Tenant-wide admin consent (seeds 000–002): the app's service principal, delegated scopes for all users, application permissions. */
export const grantWizard: Wizard<GrantInput, GrantWizardPlan> = {
  roles: ["admin"],
  schema: grantConsentSchema,
  load: loadGrant,
  execute: async (context, { app, plan, approving }) => {
    // After the steps, whatever they did: what the tenant holds of the admin's choice becomes approved.
    const baseline = () =>
      recordGrantInBaseline(context, {
        appId: app.appId,
        displayName: app.displayName,
        chosen: chosenPermissions(plan),
        source: approving ? (approving.kind === "portal" ? "request" : "entra-request") : "grant",
        requestId: approving?.id ?? null,
      });
    if (!approving) {
      const steps = await executeGrant({ ...context, appId: app.appId }, plan, app.displayName);
      return [...steps, await baseline()];
    }
    // Approving a request: every grant row names it, and it is marked approved once the tenant holds it.
    const steps = await executeGrant({ ...context, justification: justificationWithRequest(context.justification, approving), appId: app.appId }, plan, app.displayName);
    return [...steps, await settleApprovedRequest(context, approving, app.displayName, steps), await baseline()];
  },
  describe: ({ app }) => ({
    done: `Consent granted for ${app.displayName}.`,
    unchanged: "Nothing changed: everything you selected was already granted.",
    revalidate: [`/admin/apps/${app.appId}`, "/admin/requests", "/admin/entra-requests"],
  }),
};

/** Everything the admin chose, granted now or already: all of it is what they approved. */
function chosenPermissions(plan: GrantPlan): BaselinePermission[] {
  return [
    ...plan.delegated.flatMap((d) =>
      [...d.add.map((p) => p.value), ...d.alreadyGranted].map((value) => ({ resourceAppId: d.resourceAppId, resourceName: d.resourceName, consentType: "AllPrincipals" as const, value })),
    ),
    ...plan.appRoles.map((r) => ({ resourceAppId: r.resourceAppId, resourceName: r.resourceName, consentType: "Application" as const, value: r.permission.value })),
  ];
}
