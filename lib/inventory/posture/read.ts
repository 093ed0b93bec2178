import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import { readClassifications } from "@/lib/consent/classifications/load";
import { readWorkflowPolicy } from "@/lib/consent/consent-workflow/load";
import { readGroupConsentState } from "@/lib/consent/group-consent/load";
import { graphFailure } from "@/lib/graph/errors";
import { readRiskyAppUserConsent, readUserConsentPolicies, readUsersCanRegisterApps } from "@/lib/graph/policies";
import type { ConsentSettings, Reading } from "./checks";

/**
 * The tenant's consent settings as the posture checks need them, read through the same functions the
 * policy wizards use. Each part is read on its own: a part Graph refuses (a role that may not read it, a
 * beta property the tenant lacks, Graph still unavailable after retries) becomes a reason, and its checks
 * say "unknown" instead of the whole page failing. An expired sign-in (401) and the portal's own errors
 * are not a reading of the tenant, so they are thrown.
 */
async function reading<T>(read: () => Promise<T>, what: string): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    const failure = graphFailure(error);
    if (!failure || failure.status === 401) throw error;
    const why = failure.status === 403 ? "your Entra role may not read it" : failure.status === 404 ? "this tenant does not have it" : "Microsoft Graph did not answer";
    return { ok: false, reason: `Microsoft Graph answered ${failure.status} (${failure.code}) to reading ${what}: ${why}.` };
  }
}

export async function readConsentSettings(client: Client): Promise<ConsentSettings> {
  const [userConsentPolicies, allowUserConsentForRiskyApps, usersCanRegisterApps, adminConsentWorkflow, consentDirectorySetting, classifications] = await Promise.all([
    reading(() => readUserConsentPolicies(client), "the user consent policy"),
    reading(() => readRiskyAppUserConsent(client), "risk-based step-up consent"),
    reading(() => readUsersCanRegisterApps(client), "who may register applications"),
    reading(() => readWorkflowPolicy(client), "the admin consent workflow"),
    reading(() => readGroupConsentState(client), "the consent directory setting"),
    reading(() => readClassifications(client), "the permission classifications"),
  ]);
  const lowClassifiedPermissions: ConsentSettings["lowClassifiedPermissions"] = classifications.ok
    ? { ok: true, value: classifications.value.filter((c) => c.classification.toLowerCase() === "low").map((c) => ({ permissionId: c.permissionId, permissionName: c.permissionName })) }
    : classifications;
  return { userConsentPolicies, allowUserConsentForRiskyApps, usersCanRegisterApps, adminConsentWorkflow, consentDirectorySetting, lowClassifiedPermissions };
}
