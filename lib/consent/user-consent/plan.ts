/**
 * The tenant's user consent setting (authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned)
 * as the four options of Entra's "User consent for applications", and the change between them. Pure: no Graph here.
 */

export const SELF_PREFIX = "ManagePermissionGrantsForSelf.";
export const OWNED_RESOURCE_PREFIX = "ManagePermissionGrantsForOwnedResource.";

export const USER_CONSENT_CHOICES = ["none", "low", "recommended", "legacy"] as const;
export type UserConsentChoice = (typeof USER_CONSENT_CHOICES)[number];

export const SELF_POLICY: Record<Exclude<UserConsentChoice, "none">, string> = {
  low: `${SELF_PREFIX}microsoft-user-default-low`,
  recommended: `${SELF_PREFIX}microsoft-user-default-recommended`,
  legacy: `${SELF_PREFIX}microsoft-user-default-legacy`,
};

/** MC1097272 (mid-2025): under the Microsoft-managed setting these need admin consent for third-party apps. */
export const MICROSOFT_MANAGED_ADMIN_ONLY = ["Files.Read.All", "Files.ReadWrite.All", "Sites.Read.All", "Sites.ReadWrite.All"] as const;

/**
 * Entra compares these prefixes without regard to case (its admin center writes
 * "managePermissionGrantsForSelf.…"), so the portal does too.
 */
const hasPrefix = (entry: string, prefix: string) => entry.toLowerCase().startsWith(prefix.toLowerCase());
export const isSelfEntry = (entry: string) => hasPrefix(entry, SELF_PREFIX);
export const isOwnedResourceEntry = (entry: string) => hasPrefix(entry, OWNED_RESOURCE_PREFIX);
const sameEntry = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Which standard option a single ForSelf entry is, if any. */
export function selfEntryChoice(entry: string): Exclude<UserConsentChoice, "none"> | null {
  for (const [choice, policy] of Object.entries(SELF_POLICY) as [Exclude<UserConsentChoice, "none">, string][]) if (sameEntry(entry, policy)) return choice;
  return null;
}

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
      "Everyday sign-in apps work without an administrator, while anything beyond the low-impact list still needs one. You maintain the low-impact list, and the conditions stay as you set them.",
    forUsers:
      "Users see the consent prompt for verified apps asking only for low-impact permissions; for anything else they see “Need admin approval” (or “Approval required” with the workflow on).",
    recommended: false,
  },
  recommended: {
    choice: "recommended",
    title: "Let Microsoft manage your consent settings",
    summary:
      "Microsoft decides which permissions users may consent to, and changes those conditions over time without asking you. Today: low-impact permissions for apps from verified publishers or your own tenant, except that third-party apps need an administrator for Files.Read.All, Files.ReadWrite.All, Sites.Read.All and Sites.ReadWrite.All (since mid-2025).",
    tradeOff:
      "Entra's current default and Microsoft's recommendation: you follow Microsoft's rules as they change, instead of keeping your own. The flip side: what users may consent to can change without a change in your tenant, and posture baselines disagree about it (Maester's EIDSCA.AP08 expects the verified-publishers option; CISA-based checks fail any user consent).",
    forUsers:
      "Users see the consent prompt for verified apps asking only for low-impact permissions, except a third-party app's access to files and sites; for anything else they see “Need admin approval” (or “Approval required” with the workflow on).",
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
  /** "custom" when the ForSelf entries match none of the four options (e.g. a custom grant policy). */
  choice: UserConsentChoice | "custom";
  selfEntries: string[];
  ownedResourceEntries: string[];
};

export function currentUserConsent(assigned: readonly string[]): CurrentUserConsent {
  const selfEntries = assigned.filter(isSelfEntry);
  const ownedResourceEntries = assigned.filter(isOwnedResourceEntry);
  let choice: CurrentUserConsent["choice"] = "custom";
  if (selfEntries.length === 0) choice = "none";
  else if (selfEntries.length === 1) choice = selfEntryChoice(selfEntries[0]!) ?? "custom";
  return { choice, selfEntries, ownedResourceEntries };
}

/** One assigned policy entry in words. */
export function entryInWords(entry: string): string {
  const choice = selfEntryChoice(entry);
  if (choice === "low") return "Users may consent for themselves: low-impact permissions, verified publishers or this tenant's own apps.";
  if (choice === "recommended") {
    return "Microsoft-managed: users may consent under conditions Microsoft sets and changes over time (today low-impact permissions for verified publishers or this tenant's own apps; third-party apps need an administrator for Files.Read.All, Files.ReadWrite.All, Sites.Read.All and Sites.ReadWrite.All).";
  }
  if (choice === "legacy") return "Users may consent for themselves: any permission that needs no admin consent, for any app.";
  if (isSelfEntry(entry)) return `Users may consent for themselves under the custom grant policy “${entry.slice(SELF_PREFIX.length)}”.`;
  if (isOwnedResourceEntry(entry)) {
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
  if (current.choice === "custom") lines.push("User consent: a custom setting made outside the four standard options.");
  else if (current.choice === "recommended") lines.push(`User consent: Microsoft-managed (${USER_CONSENT_OPTIONS.recommended.title}).`);
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
  const kept = assigned.filter((entry) => !isSelfEntry(entry));
  const selfNow = assigned.filter(isSelfEntry);
  // An entry already assigned under another spelling of the prefix stays as it is: Entra treats them alike.
  const self = choice === "none" ? [] : [selfNow.length === 1 && selfEntryChoice(selfNow[0]!) === choice ? selfNow[0]! : SELF_POLICY[choice]];
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

/** Risk-based step-up consent (beta allowUserConsentForRiskyApps) in words. */
export function riskyAppConsentInWords(allow: boolean | null): string {
  return allow === true
    ? "Risk-based step-up consent is off: users may consent to apps Microsoft flags as risky (allowUserConsentForRiskyApps is true). Microsoft recommends keeping it false."
    : "Risk-based step-up consent is on: when Microsoft flags an app as risky, users cannot consent and are sent to ask an admin (Entra logs “Risky application detected”).";
}
