import { reviewerKey, reviewersOf, type WorkflowPolicy } from "@/lib/consent/consent-workflow/plan";
import type { GroupConsentState } from "@/lib/consent/group-consent/plan";
import { currentUserConsent, SELF_POLICY, SELF_PREFIX, selfEntryChoice, type UserConsentChoice } from "@/lib/consent/user-consent/plan";
import { isPublishedGraphPermission, MICROSOFT_GRAPH_APP_ID, riskOfId } from "@/lib/permissions";
import type { PostureBaselineId, PostureCheck } from "../types";

/**
 * Posture checks of the tenant's consent settings against the baseline the reviewer picks. The
 * baselines disagree (Maester's EIDSCA expects the verified-publisher option, CISA's ScubaGear fails the
 * Microsoft-managed one, Microsoft recommends it), so each is kept as its source states it, and each
 * check says what it expects, what the tenant has, and which wizard changes it. Pure: read.ts reads the
 * settings, a part that could not be read makes its checks "unknown", never pass or fail.
 */

/** A part of the settings as read: its value, or why it could not be read. */
export type Reading<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface ConsentSettings {
  /** authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned */
  userConsentPolicies: Reading<string[]>;
  /** beta authorizationPolicy.allowUserConsentForRiskyApps; null when never set */
  allowUserConsentForRiskyApps: Reading<boolean | null>;
  /** authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps; null when Graph does not say */
  usersCanRegisterApps: Reading<boolean | null>;
  /** the admin consent workflow (adminConsentRequestPolicy) */
  adminConsentWorkflow: Reading<WorkflowPolicy>;
  /**
   * The beta consent policy directory setting (template dffd5d46-…): group-owner consent, and the legacy
   * BlockUserConsentForRiskyApps and EnableAdminConsentRequests values; "unavailable" on newer tenants.
   */
  consentDirectorySetting: Reading<GroupConsentState>;
  /** Microsoft Graph delegated permissions classified low impact */
  lowClassifiedPermissions: Reading<{ permissionId: string; permissionName: string | null }[]>;
}

const ENTRA_USER_CONSENT = "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/UserSettings";
const ENTRA_USER_SETTINGS = "https://entra.microsoft.com/#view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/UserSettings";
const MAESTER = (id: string) => `https://maester.dev/docs/tests/EIDSCA.${id}`;
const SCUBA = (anchor: string) => `https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/aad.md#${anchor}`;
const LEARN = (page: string) => `https://learn.microsoft.com/entra/identity/enterprise-apps/${page}`;

const USER_CONSENT_WIZARD = (choice: UserConsentChoice) => `/admin/policies/user-consent?step=preview&choice=${choice}`;
const GROUP_CONSENT_OFF = "/admin/policies/group-consent?step=preview&mode=off";

type Verdict = Pick<PostureCheck, "expected" | "actual" | "status" | "fixHref">;
type CheckDefinition = { id: string; title: string; source: string; evaluate: (settings: ConsentSettings) => Verdict };
export type PostureBaseline = { id: PostureBaselineId; name: string; description: string; source: string; checks: CheckDefinition[] };

const notRead = (expected: string, fixHref: string, reason: string): Verdict => ({ expected, actual: `Could not be read: ${reason}`, status: "unknown", fixHref });
const judged = (expected: string, actual: string, pass: boolean, fixHref: string): Verdict => ({ expected, actual, status: pass ? "pass" : "fail", fixHref });

const lower = (s: string) => s.toLowerCase();
const selfEntries = (assigned: readonly string[]) => currentUserConsent(assigned).selfEntries;

/** The user consent setting in a few words, with the policy ids the baselines name. */
export function userConsentActual(assigned: readonly string[]): string {
  const current = currentUserConsent(assigned);
  const ids = current.selfEntries.join(", ");
  switch (current.choice) {
    case "none":
      return "User consent is off (no ManagePermissionGrantsForSelf policy assigned).";
    case "low":
      return `Users may consent to low-impact permissions for apps from verified publishers or this tenant (${ids}).`;
    case "recommended":
      return `Microsoft-managed: users may consent under conditions Microsoft sets and changes (${ids}).`;
    case "legacy":
      return `Users may consent to any app for any permission that needs no admin (${ids}).`;
    default:
      return `Custom: ${ids}.`;
  }
}

/** The workflow wizard's Choose step with today's settings and reviewers, changed as a check needs. */
function workflowWizard(current: WorkflowPolicy, change: Partial<Omit<WorkflowPolicy, "reviewers">>): string {
  const next = { ...current, ...change };
  const params = new URLSearchParams({
    step: "choose",
    isEnabled: String(next.isEnabled),
    notifyReviewers: String(next.notifyReviewers),
    remindersEnabled: String(next.remindersEnabled),
    requestDurationInDays: String(Math.min(30, Math.max(1, next.requestDurationInDays))),
  });
  for (const reviewer of reviewersOf(current)) params.append("reviewer", reviewerKey(reviewer));
  return `/admin/policies/consent-workflow?${params.toString()}`;
}

const WORKFLOW_WIZARD = "/admin/policies/consent-workflow";

/** EIDSCA CR02–CR04 apply only while the workflow is on (Maester skips them otherwise). */
function workflowCheck(expected: string, test: (w: WorkflowPolicy) => { actual: string; pass: boolean }, change: Partial<WorkflowPolicy>) {
  return (settings: ConsentSettings): Verdict => {
    const read = settings.adminConsentWorkflow;
    if (!read.ok) return notRead(expected, WORKFLOW_WIZARD, read.reason);
    const fix = workflowWizard(read.value, change);
    if (!read.value.isEnabled) return { expected, actual: "The admin consent workflow is off, so EIDSCA skips this check (see EIDSCA.CR01).", status: "unknown", fixHref: fix };
    const { actual, pass } = test(read.value);
    return judged(expected, actual, pass, fix);
  };
}

const onOff = (on: boolean) => (on ? "on" : "off");

const EIDSCA: PostureBaseline = {
  id: "eidsca",
  name: "Maester EIDSCA",
  description: "Entra ID Security Config Analyzer checks as Maester runs them: verified-publisher user consent, risky apps blocked, the admin consent workflow on with notifications, reminders and at most 30 days.",
  source: "https://maester.dev/docs/tests/eidsca",
  checks: [
    {
      id: "EIDSCA.AP08",
      title: "User consent policy assigned for applications",
      source: MAESTER("AP08"),
      evaluate: ({ userConsentPolicies: read }) => {
        const expected = `Users may consent only under ${SELF_POLICY.low} (apps from verified publishers, low-impact permissions).`;
        const fix = USER_CONSENT_WIZARD("low");
        if (!read.ok) return notRead(expected, fix, read.reason);
        const entries = selfEntries(read.value);
        // Maester skips the check unless a Microsoft-made ForSelf policy is assigned (consent off or custom).
        if (!entries.some((e) => lower(e).startsWith(lower(`${SELF_PREFIX}microsoft-`)))) {
          return { expected, actual: `${userConsentActual(read.value)} EIDSCA skips this check unless one of Microsoft's user consent policies is assigned.`, status: "unknown", fixHref: fix };
        }
        return judged(expected, userConsentActual(read.value), entries.length === 1 && selfEntryChoice(entries[0]!) === "low", fix);
      },
    },
    {
      id: "EIDSCA.AP09",
      title: "Allow user consent on risk-based apps",
      source: MAESTER("AP09"),
      evaluate: ({ allowUserConsentForRiskyApps: read }) => {
        const expected = "allowUserConsentForRiskyApps set to false: users cannot consent to apps Microsoft flags as risky (risk-based step-up consent).";
        if (!read.ok) return notRead(expected, ENTRA_USER_CONSENT, read.reason);
        if (read.value === null) return judged(expected, "Not set. Entra treats that as false today, but EIDSCA expects it set explicitly, since Microsoft may change the default.", false, ENTRA_USER_CONSENT);
        return judged(expected, read.value ? "true: users may consent to apps flagged as risky." : "false: risky apps need an administrator.", read.value === false, ENTRA_USER_CONSENT);
      },
    },
    {
      id: "EIDSCA.CR01",
      title: "Admin consent workflow enabled",
      source: MAESTER("CR01"),
      evaluate: ({ adminConsentWorkflow: read }) => {
        const expected = "The admin consent workflow is on: users can request admin consent to apps they cannot consent to.";
        if (!read.ok) return notRead(expected, WORKFLOW_WIZARD, read.reason);
        return judged(expected, `The admin consent workflow is ${onOff(read.value.isEnabled)}.`, read.value.isEnabled, workflowWizard(read.value, { isEnabled: true }));
      },
    },
    {
      id: "EIDSCA.CR02",
      title: "Reviewers receive email notifications for requests",
      source: MAESTER("CR02"),
      evaluate: workflowCheck("Reviewers get an email for each new request (notifyReviewers true).", (w) => ({ actual: `Email to reviewers is ${onOff(w.notifyReviewers)}.`, pass: w.notifyReviewers }), { notifyReviewers: true }),
    },
    {
      id: "EIDSCA.CR03",
      title: "Reviewers receive reminders before requests expire",
      source: MAESTER("CR03"),
      evaluate: workflowCheck("Reviewers get reminders before a request expires (remindersEnabled true).", (w) => ({ actual: `Reminders are ${onOff(w.remindersEnabled)}.`, pass: w.remindersEnabled }), { remindersEnabled: true }),
    },
    {
      id: "EIDSCA.CR04",
      title: "Consent request duration",
      source: MAESTER("CR04"),
      evaluate: workflowCheck("A request expires after at most 30 days.", (w) => ({ actual: `A request expires after ${w.requestDurationInDays} days.`, pass: w.requestDurationInDays <= 30 }), { requestDurationInDays: 30 }),
    },
  ],
};

/** Low-classified Microsoft Graph delegated permissions that ScubaGear's risk table lists (its MS.AAD.5.2v1 check). */
export function riskyLowClassified(classified: readonly { permissionId: string; permissionName: string | null }[]): { permissionId: string; permissionName: string | null }[] {
  return classified.filter((c) => riskOfId(MICROSOFT_GRAPH_APP_ID, "delegated", c.permissionId) !== null);
}

function classificationsWizard(risky: readonly { permissionName: string | null }[]): string {
  const names = risky.flatMap((c) => (c.permissionName && isPublishedGraphPermission("delegated", c.permissionName) ? [c.permissionName] : []));
  if (!names.length) return "/admin/policies/classifications";
  const params = new URLSearchParams([["step", "preview"], ...names.map((n): [string, string] => ["remove", n])]);
  return `/admin/policies/classifications?${params.toString()}`;
}

const SCUBA_BASELINE: PostureBaseline = {
  id: "scuba",
  name: "CISA ScubaGear",
  description: "CISA's Secure Cloud Business Applications baseline for Entra ID, section 5: only admins register apps, user consent restricted (off, or verified publishers with no risky permission classified low; the Microsoft-managed setting fails), an admin consent workflow configured.",
  source: SCUBA("5-application-registration-and-consent"),
  checks: [
    {
      id: "MS.AAD.5.1v1",
      title: "Only administrators shall be allowed to register applications",
      source: SCUBA("msaad51v1"),
      evaluate: ({ usersCanRegisterApps: read }) => {
        const expected = "Users can register applications: No (allowedToCreateApps false). The portal has no wizard for this: change it in the Entra admin center's user settings.";
        if (!read.ok) return notRead(expected, ENTRA_USER_SETTINGS, read.reason);
        if (read.value === null) return { expected, actual: "Graph did not say whether users may register applications.", status: "unknown", fixHref: ENTRA_USER_SETTINGS };
        return judged(expected, read.value ? "Every user may register applications." : "Only administrators may register applications.", !read.value, ENTRA_USER_SETTINGS);
      },
    },
    {
      id: "MS.AAD.5.2v1",
      title: "User consent to applications shall be restricted",
      source: SCUBA("msaad52v1"),
      evaluate: ({ userConsentPolicies: read, lowClassifiedPermissions: classified }) => {
        const expected =
          "User consent off, or only for apps from verified publishers with low-impact permissions where no permission in ScubaGear's risk table is classified low. The Microsoft-managed setting fails, and so does consent to all apps.";
        if (!read.ok) return notRead(expected, USER_CONSENT_WIZARD("none"), read.reason);
        const current = currentUserConsent(read.value);
        const actual = userConsentActual(read.value);
        if (current.choice === "none") return judged(expected, actual, true, USER_CONSENT_WIZARD("none"));
        if (current.choice === "recommended" || current.choice === "legacy") {
          // Option 2 (verified publishers, low impact) is the nearest setting that passes, unless risky permissions are classified low.
          const cleanLow = classified.ok && riskyLowClassified(classified.value).length === 0;
          return judged(expected, actual, false, USER_CONSENT_WIZARD(cleanLow ? "low" : "none"));
        }
        if (current.choice === "custom") {
          return { expected, actual: `${actual} Whether a custom grant policy is restricted enough cannot be judged from its id.`, status: "unknown", fixHref: USER_CONSENT_WIZARD("none") };
        }
        if (!classified.ok) return { expected, actual: `${actual} The permission classifications could not be read: ${classified.reason}`, status: "unknown", fixHref: "/admin/policies/classifications" };
        const risky = riskyLowClassified(classified.value);
        if (!risky.length) return judged(expected, `${actual} No permission from the risk table is classified low.`, true, USER_CONSENT_WIZARD("low"));
        const names = risky.map((c) => c.permissionName ?? c.permissionId).join(", ");
        return judged(expected, `${actual} Classified low although the risk table lists them: ${names}.`, false, classificationsWizard(risky));
      },
    },
    {
      id: "MS.AAD.5.3v1",
      title: "An admin consent workflow shall be configured for applications",
      source: SCUBA("msaad53v1"),
      evaluate: ({ adminConsentWorkflow: read, consentDirectorySetting: setting }) => {
        const expected =
          "Users can request admin consent to apps they cannot consent to, and at least one reviewer is named. (ScubaGear's automated check reads the legacy consent setting EnableAdminConsentRequests, which newer tenants no longer have; the baseline's instructions are the workflow's.)";
        if (!read.ok) return notRead(expected, WORKFLOW_WIZARD, read.reason);
        const w = read.value;
        const reviewers = w.reviewers.length;
        let actual = w.isEnabled ? `The admin consent workflow is on with ${reviewers} ${reviewers === 1 ? "reviewer" : "reviewers"}.` : "The admin consent workflow is off.";
        const legacy = setting.ok && setting.value.kind === "present" ? setting.value.values.find((v) => v.name === "EnableAdminConsentRequests")?.value : undefined;
        if (legacy !== undefined && lower(legacy) !== String(w.isEnabled)) actual += ` The legacy consent setting EnableAdminConsentRequests reads “${legacy}”.`;
        return judged(expected, actual, w.isEnabled && reviewers > 0, workflowWizard(w, { isEnabled: true }));
      },
    },
  ],
};

const MICROSOFT_MANAGED: PostureBaseline = {
  id: "microsoft-managed",
  name: "Microsoft-managed default",
  description: "What Microsoft recommends and sets by default today: let Microsoft manage user consent (microsoft-user-default-recommended), keep risk-based step-up consent on, and leave group-owner consent off (it is being retired).",
  source: LEARN("configure-user-consent"),
  checks: [
    {
      id: "Microsoft.UserConsent",
      title: "Let Microsoft manage your consent settings",
      source: LEARN("configure-user-consent"),
      evaluate: ({ userConsentPolicies: read }) => {
        const expected = `Users may consent only under ${SELF_POLICY.recommended}, whose conditions Microsoft maintains (today: low-impact permissions for verified publishers or this tenant, and no Files/Sites .All permissions for third-party apps).`;
        const fix = USER_CONSENT_WIZARD("recommended");
        if (!read.ok) return notRead(expected, fix, read.reason);
        const entries = selfEntries(read.value);
        return judged(expected, userConsentActual(read.value), entries.length === 1 && selfEntryChoice(entries[0]!) === "recommended", fix);
      },
    },
    {
      id: "Microsoft.RiskBasedStepUp",
      title: "Risk-based step-up consent",
      source: LEARN("configure-risk-based-step-up-consent"),
      evaluate: ({ allowUserConsentForRiskyApps: read, consentDirectorySetting: setting }) => {
        const expected = "Users cannot consent to apps Microsoft flags as risky (Entra's default: allowUserConsentForRiskyApps false or not set).";
        if (!read.ok) return notRead(expected, ENTRA_USER_CONSENT, read.reason);
        // Not set: the consent setting's BlockUserConsentForRiskyApps decides, and it defaults to true.
        const block = setting.ok && setting.value.kind !== "unavailable" ? setting.value.values.find((v) => v.name === "BlockUserConsentForRiskyApps")?.value : undefined;
        const allowed = read.value ?? (block !== undefined && lower(block) === "false");
        const actual = read.value === null ? `Not set; ${allowed ? "the consent setting BlockUserConsentForRiskyApps is false, so users may consent to risky apps." : "Entra's default applies: risky apps need an administrator."}` : allowed ? "Users may consent to apps flagged as risky." : "Risky apps need an administrator.";
        return judged(expected, actual, !allowed, ENTRA_USER_CONSENT);
      },
    },
    {
      id: "Microsoft.GroupOwnerConsent",
      title: "Group-owner consent off",
      source: LEARN("configure-user-consent-groups"),
      evaluate: ({ consentDirectorySetting: read }) => {
        const expected = "Group owners cannot consent to apps for their groups' data (Entra's default; Microsoft is retiring group-owner consent, MC712143).";
        if (!read.ok) return notRead(expected, GROUP_CONSENT_OFF, read.reason);
        if (read.value.kind === "unavailable") return judged(expected, "This tenant no longer has the group-owner consent setting, so group owners cannot consent.", true, "/admin/policies/group-consent");
        const { mode } = read.value.current;
        const actual = mode === "off" ? "Group owners cannot consent to apps." : mode === "all" ? "Every group owner may consent to apps for their group." : "Owners who are members of one group may consent to apps for their groups.";
        return judged(expected, actual, mode === "off", GROUP_CONSENT_OFF);
      },
    },
  ],
};

export const POSTURE_BASELINES: Record<PostureBaselineId, PostureBaseline> = { eidsca: EIDSCA, scuba: SCUBA_BASELINE, "microsoft-managed": MICROSOFT_MANAGED };

export function checkPosture(settings: ConsentSettings, baseline: PostureBaselineId): PostureCheck[] {
  return POSTURE_BASELINES[baseline].checks.map(({ id, title, source, evaluate }) => ({ id, title, source, ...evaluate(settings) }));
}
