/**
 * The tenant's user consent setting (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned)
 * as the three options of Entra's "User consent for applications", and the change between them. Pure: no Graph here.
 */

export const SELF_PREFIX = "ManagePermissionGrantsForSelf.";
export const OWNED_RESOURCE_PREFIX = "ManagePermissionGrantsForOwnedResource.";

export const USER_CONSENT_CHOICES = ["none", "low", "legacy"] as const;
export type UserConsentChoice = (typeof USER_CONSENT_CHOICES)[number];

const SELF_POLICY: Record<Exclude<UserConsentChoice, "none">, string> = {
  low: `${SELF_PREFIX}microsoft-user-default-low`,
  legacy: `${SELF_PREFIX}microsoft-user-default-legacy`,
};

export type UserConsentOption = {
  choice: UserConsentChoice;
  title: string;
  /** What the setting does, in one sentence. */
  summary: string;
  tradeOff: string;
  /** What a user signing in to a new app sees. */
  forUsers: string;
  recommended: boolean;
};

export const USER_CONSENT_OPTIONS: Record<UserConsentChoice, UserConsentOption> = {
  none: {
    choice: "none",
    title: "Do not allow user consent",
    summary: "Only an administrator can consent for an app; users can never consent for themselves.",
    tradeOff: "Safest against consent phishing, but every new app and every new permission needs an administrator, so expect more requests.",
    forUsers:
      "Users signing in to an app that has no consent yet see “Need admin approval” — or, when the admin consent workflow is on, “Approval required” with a form to ask for it.",
    recommended: false,
  },
  low: {
    choice: "low",
    title: "Allow user consent for apps from verified publishers, for selected permissions",
    summary:
      "Users can consent only to permissions you classified as low impact, and only for apps from verified publishers or registered in your own tenant.",
    tradeOff:
      "Microsoft's recommendation: everyday sign-in apps work without an administrator, while anything beyond the low-impact list still needs one. You maintain the low-impact list.",
    forUsers:
      "Users see the consent prompt for verified apps asking only for low-impact permissions; for anything else they see “Need admin approval” (or “Approval required” with the workflow on).",
    recommended: true,
  },
  legacy: {
    choice: "legacy",
    title: "Allow user consent for all apps",
    summary: "Users can consent to any app, from any publisher, for any permission that does not require admin consent.",
    tradeOff:
      "Least friction, most risk: a malicious app can get a user's mail and files with one click (consent phishing). Microsoft no longer recommends it.",
    forUsers: "Users see the consent prompt for any app asking for permissions that do not need an administrator, and can accept it themselves.",
    recommended: false,
  },
};

export type CurrentUserConsent = {
  /** "custom" when the ForSelf entries match none of the three options (e.g. a custom grant policy). */
  choice: UserConsentChoice | "custom";
  selfEntries: string[];
  ownedResourceEntries: string[];
};

export function currentUserConsent(assigned: readonly string[]): CurrentUserConsent {
  const selfEntries = assigned.filter((entry) => entry.startsWith(SELF_PREFIX));
  const ownedResourceEntries = assigned.filter((entry) => entry.startsWith(OWNED_RESOURCE_PREFIX));
  let choice: CurrentUserConsent["choice"] = "custom";
  if (selfEntries.length === 0) choice = "none";
  else if (selfEntries.length === 1 && selfEntries[0] === SELF_POLICY.low) choice = "low";
  else if (selfEntries.length === 1 && selfEntries[0] === SELF_POLICY.legacy) choice = "legacy";
  return { choice, selfEntries, ownedResourceEntries };
}

/** One assigned policy entry in words. */
export function entryInWords(entry: string): string {
  if (entry === SELF_POLICY.low) return "Users may consent for themselves: low-impact permissions, verified publishers or this tenant's own apps.";
  if (entry === SELF_POLICY.legacy) return "Users may consent for themselves: any permission that needs no admin consent, for any app.";
  if (entry.startsWith(SELF_PREFIX)) return `Users may consent for themselves under the custom grant policy “${entry.slice(SELF_PREFIX.length)}”.`;
  if (entry.startsWith(OWNED_RESOURCE_PREFIX)) {
    const policy = entry.slice(OWNED_RESOURCE_PREFIX.length);
    const resource = /-for-(\w+)$/.exec(policy)?.[1];
    return resource
      ? `Owners of a ${resource} may consent to apps for that ${resource} (resource-specific consent, “${policy}”).`
      : `Owners of a resource may consent to apps for it (“${policy}”).`;
  }
  return `Other policy entry “${entry}”.`;
}

/** The whole setting in words, one line per fact. */
export function userConsentInWords(assigned: readonly string[]): string[] {
  const current = currentUserConsent(assigned);
  const lines: string[] = [];
  if (current.choice === "custom") lines.push("User consent: a custom setting made outside the three standard options.");
  else lines.push(`User consent: ${USER_CONSENT_OPTIONS[current.choice].title}.`);
  if (current.selfEntries.length === 0) lines.push("Users may not consent to apps for themselves.");
  for (const entry of assigned) lines.push(entryInWords(entry));
  return lines;
}

export type UserConsentPlan = {
  before: string[];
  after: string[];
  changed: boolean;
  added: string[];
  removed: string[];
  /** Entries carried over untouched (every ManagePermissionGrantsForOwnedResource.* entry among them). */
  kept: string[];
  beforeWords: string[];
  afterWords: string[];
  /** The PATCH body for /policies/authorizationPolicy. */
  body: { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[] } };
};

/**
 * The change to `choice`: only ManagePermissionGrantsForSelf.* entries are replaced; everything else
 * (resource-specific consent for teams and chats above all) is kept in its place, because the PATCH
 * replaces the whole list.
 */
export function planUserConsent(assigned: readonly string[], choice: UserConsentChoice): UserConsentPlan {
  const kept = assigned.filter((entry) => !entry.startsWith(SELF_PREFIX));
  const self = choice === "none" ? [] : [SELF_POLICY[choice]];
  const after = [...self, ...kept];
  const added = after.filter((entry) => !assigned.includes(entry));
  const removed = assigned.filter((entry) => !after.includes(entry));
  return {
    before: [...assigned],
    after,
    changed: added.length > 0 || removed.length > 0,
    added,
    removed,
    kept,
    beforeWords: userConsentInWords(assigned),
    afterWords: userConsentInWords(after),
    body: { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: after } },
  };
}
