/**
 * Group-owner consent: the beta directory setting made from template dffd5d46-… ("Consent Policy
 * Settings"). Newer tenants do not have the template; the portal then says so instead of offering a change.
 */

export const GROUP_CONSENT_TEMPLATE_ID = "dffd5d46-495d-40a9-8e21-954ff55e198a";
const ENABLE = "EnableGroupSpecificConsent";
const CONSTRAIN = "ConstrainGroupSpecificConsentToMembersOfGroupId";

export type SettingValue = { name: string; value: string };
export type DirectorySetting = { id: string; templateId: string; displayName?: string | null; values: SettingValue[] };

export const GROUP_CONSENT_MODES = ["off", "all", "group"] as const;
export type GroupConsentMode = (typeof GROUP_CONSENT_MODES)[number];
export type GroupConsentChoice = { mode: GroupConsentMode; groupId: string | null };

export type GroupConsentState =
  | { kind: "unavailable" }
  /** The template exists but no setting was made from it yet: Entra's defaults apply (off). */
  | { kind: "template-only"; current: GroupConsentChoice; values: SettingValue[] }
  | { kind: "present"; settingId: string; current: GroupConsentChoice; values: SettingValue[] };

/** Entra's defaults for the template, as a new setting object gets them. */
export const GROUP_CONSENT_DEFAULTS: SettingValue[] = [
  { name: ENABLE, value: "false" },
  { name: "BlockUserConsentForRiskyApps", value: "true" },
  { name: "EnableAdminConsentRequests", value: "false" },
  { name: CONSTRAIN, value: "" },
];

function choiceOf(values: readonly SettingValue[]): GroupConsentChoice {
  const get = (name: string) => values.find((v) => v.name === name)?.value ?? "";
  if (get(ENABLE).toLowerCase() !== "true") return { mode: "off", groupId: null };
  const group = get(CONSTRAIN).trim();
  return group ? { mode: "group", groupId: group.toLowerCase() } : { mode: "all", groupId: null };
}

export function readGroupConsent(settings: readonly DirectorySetting[], templateAvailable: boolean): GroupConsentState {
  const setting = settings.find((s) => s.templateId.toLowerCase() === GROUP_CONSENT_TEMPLATE_ID);
  if (setting) return { kind: "present", settingId: setting.id, current: choiceOf(setting.values), values: setting.values };
  if (templateAvailable) return { kind: "template-only", current: { mode: "off", groupId: null }, values: GROUP_CONSENT_DEFAULTS };
  return { kind: "unavailable" };
}

/**
 * Group-owner consent is being retired (Microsoft 365 message center MC712143) in favour of Teams
 * resource-specific consent: newer tenants never get the settings template. The hub shows this one
 * sentence; the wizard adds GROUP_CONSENT_SUCCESSOR.
 */
export const GROUP_CONSENT_UNAVAILABLE =
  "This tenant does not have the group-owner consent setting. Microsoft is retiring group-owner consent (message center MC712143) and no longer gives its settings template to newer tenants, so group owners cannot consent to apps for their groups here, and there is nothing to change.";

/** What replaces it, and where the portal stands on it. */
export const GROUP_CONSENT_SUCCESSOR =
  "What replaces it: Teams resource-specific consent, where team owners and chat members consent to an app for one team or chat only. Entra keeps that setting in the user consent policy as the entries ending in “microsoft-dynamically-managed-permissions-for-team” and “…-for-chat”; the portal's user consent wizard leaves those entries exactly as they are, and Teams app permission settings are managed in the Teams admin center.";

/** Said where the tenant still has the setting: it works today, but its days are numbered. */
export const GROUP_CONSENT_RETIRING =
  "Microsoft is retiring group-owner consent (message center MC712143) in favour of Teams resource-specific consent. This tenant still has the setting, so it can still be changed here; newer tenants no longer have it.";

export function groupConsentInWords(choice: GroupConsentChoice, groupNames: ReadonlyMap<string, string>): string {
  if (choice.mode === "off") return "Group owners cannot consent to apps accessing their groups' data.";
  if (choice.mode === "all") return "Every group owner can consent to apps accessing their group's data.";
  const name = choice.groupId ? (groupNames.get(choice.groupId) ?? choice.groupId) : "?";
  return `Only owners who are members of the group “${name}” can consent to apps accessing their groups' data.`;
}

export type GroupConsentPlan =
  | { kind: "refused"; reason: string }
  | {
      kind: "change";
      method: "PATCH" | "POST";
      settingId: string | null;
      /** Every value of the setting, the two changed ones among them (sent whole so no value is lost). */
      values: SettingValue[];
      changed: boolean;
      beforeWords: string;
      afterWords: string;
    };

export function planGroupConsent(state: GroupConsentState, choice: GroupConsentChoice, groupNames: ReadonlyMap<string, string>): GroupConsentPlan {
  if (state.kind === "unavailable") return { kind: "refused", reason: GROUP_CONSENT_UNAVAILABLE };
  if (choice.mode === "group" && !choice.groupId) return { kind: "refused", reason: "Choose the group whose members may consent as group owners." };
  const wanted: GroupConsentChoice = choice.mode === "group" ? choice : { mode: choice.mode, groupId: null };
  const next: Record<string, string> = { [ENABLE]: wanted.mode === "off" ? "false" : "true", [CONSTRAIN]: wanted.groupId ?? "" };
  const values = state.values.map((v) => (v.name in next ? { name: v.name, value: next[v.name]! } : { ...v }));
  for (const [name, value] of Object.entries(next)) if (!values.some((v) => v.name === name)) values.push({ name, value });
  const current = state.current;
  return {
    kind: "change",
    method: state.kind === "present" ? "PATCH" : "POST",
    settingId: state.kind === "present" ? state.settingId : null,
    values,
    changed: state.kind === "template-only" ? wanted.mode !== "off" : current.mode !== wanted.mode || (current.groupId ?? "") !== (wanted.groupId ?? ""),
    beforeWords: groupConsentInWords(current, groupNames),
    afterWords: groupConsentInWords(wanted, groupNames),
  };
}
