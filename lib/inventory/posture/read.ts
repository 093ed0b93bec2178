import "server-only";
import type { Client } from "@microsoft/microsoft-graph-client";
import { workflowPolicyOf } from "@/lib/consent/consent-workflow/plan";
import { GROUP_CONSENT_TEMPLATE_ID, readGroupConsent, type DirectorySetting, type GroupConsentState } from "@/lib/consent/group-consent/plan";
import { graphFailure } from "@/lib/graph/errors";
import { listDirectorySettings, readAdminConsentRequestPolicy, readDirectorySettingTemplate, readRiskyAppUserConsent, readUserConsentPolicies, readUsersCanRegisterApps } from "@/lib/graph/policies";
import { listPermissionClassifications } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import type { ConsentSettings, Reading } from "./checks";

/**
 * The consent directory setting as the group consent wizard reads it (lib/consent/group-consent/load.ts,
 * which is tied to the signed-in session): the setting object, else whether the tenant still has its template.
 */
async function readConsentDirectorySetting(client: Client): Promise<GroupConsentState> {
  const settings: DirectorySetting[] = (await listDirectorySettings(client)).map((s) => ({
    id: s.id ?? "",
    templateId: s.templateId ?? "",
    displayName: s.displayName ?? null,
    values: (s.values ?? []).map((v) => ({ name: v.name ?? "", value: v.value ?? "" })),
  }));
  if (settings.some((s) => s.templateId.toLowerCase() === GROUP_CONSENT_TEMPLATE_ID)) return readGroupConsent(settings, true);
  try {
    await readDirectorySettingTemplate(client, GROUP_CONSENT_TEMPLATE_ID);
    return readGroupConsent(settings, true);
  } catch (error) {
    // As the wizard decides: Graph's "no such template" (4xx other than a refusal) means a newer tenant.
    const failure = graphFailure(error);
    if (!failure || failure.status === 401 || failure.status === 403 || failure.status >= 500) throw error;
    return readGroupConsent(settings, false);
  }
}

/**
 * The tenant's consent settings as the posture checks need them, read through lib/graph and the policy
 * wizards' own pure readers. Each part is read on its own: a part Graph refuses (a role that may not read it, a
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
    reading(async () => workflowPolicyOf(await readAdminConsentRequestPolicy(client)), "the admin consent workflow"),
    reading(() => readConsentDirectorySetting(client), "the consent directory setting"),
    reading(() => listPermissionClassifications(client, MICROSOFT_GRAPH_APP_ID), "the permission classifications"),
  ]);
  const lowClassifiedPermissions: ConsentSettings["lowClassifiedPermissions"] = classifications.ok
    ? { ok: true, value: classifications.value.filter((c) => c.classification?.toLowerCase() === "low").map((c) => ({ permissionId: c.permissionId ?? "", permissionName: c.permissionName ?? null })) }
    : classifications;
  return { userConsentPolicies, allowUserConsentForRiskyApps, usersCanRegisterApps, adminConsentWorkflow, consentDirectorySetting, lowClassifiedPermissions };
}
