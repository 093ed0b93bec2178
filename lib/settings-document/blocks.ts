import { GROUP_CONSENT_UNAVAILABLE } from "@/lib/consent/group-consent/plan";
import { classificationCapability, consentWorkflowCapability, groupConsentCapability, userConsentCapability, type Capability } from "@/lib/roles";
import type { SettingsDiff } from "./diff";
import type { SectionKey, SettingsSpec } from "./schema";

/**
 * Why a changed section cannot be applied by this admin, before they confirm: the same role checks and
 * refusals the wizards make when applying (which check again). Pure.
 */
const CAPABILITY: Partial<Record<SectionKey, (wids: readonly string[]) => Capability>> = {
  userConsent: userConsentCapability,
  adminConsentWorkflow: consentWorkflowCapability,
  classifications: classificationCapability,
  groupOwnerConsent: groupConsentCapability,
};

export const CUSTOM_USER_CONSENT_REFUSAL = "A custom user consent setting cannot be applied from a document: choose none, low-impact, microsoft-managed or all-apps.";

export function sectionBlocks(diff: SettingsDiff, wids: readonly string[], tenant: SettingsSpec, document: SettingsSpec): Partial<Record<SectionKey, string>> {
  const out: Partial<Record<SectionKey, string>> = {};
  for (const section of diff.sections) {
    if (section.state !== "changed") continue;
    const capability = CAPABILITY[section.section]?.(wids);
    if (capability && !capability.allowed) out[section.section] = `Not with your role: ${capability.reason}`;
    else if (section.section === "userConsent" && document.userConsent?.policy === "custom") out.userConsent = CUSTOM_USER_CONSENT_REFUSAL;
    else if (section.section === "groupOwnerConsent" && !tenant.groupOwnerConsent) out.groupOwnerConsent = GROUP_CONSENT_UNAVAILABLE;
  }
  return out;
}
