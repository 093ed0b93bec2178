import { MICROSOFT_GRAPH_APP_ID, riskOf } from "@/lib/permissions";
import { permissionKey } from "@/lib/baseline/types";
import {
  SECTION_TITLES,
  SECTIONS,
  type BaselineEntry,
  type BaselineEntryPermission,
  type GroupOwnerConsentSection,
  type SectionKey,
  type SettingsSpec,
  type UserConsentPolicy,
  type UserConsentSection,
  type WorkflowReviewer,
  type WorkflowSection,
} from "./schema";

/**
 * What applying a document would change in the tenant, section by section, in words an admin and a
 * reviewer read the same way ("User consent: Microsoft-managed → Do not allow user consent"). Pure: the
 * tenant's side is a document read from the tenant (read.ts), so both sides have the same shape.
 */

export type SectionState = "same" | "changed" | "not-in-document";
export type SectionDiff = {
  section: SectionKey;
  title: string;
  state: SectionState;
  /** One line per difference. */
  lines: string[];
  /** What the document leaves as it is (e.g. baselines of apps it does not list). */
  notes: string[];
};
export type SettingsDiff = {
  sections: SectionDiff[];
  changed: boolean;
  /** Permissions the document classifies low impact that the portal rates High or Critical: applying needs an acknowledgment. */
  highRiskClassifications: string[];
};

export const USER_CONSENT_WORDS: Record<UserConsentPolicy, string> = {
  none: "Do not allow user consent",
  "low-impact": "Verified publishers, low-impact permissions",
  "microsoft-managed": "Microsoft-managed",
  "all-apps": "Allow user consent for all apps",
  custom: "a custom setting",
};

const lower = (value: string) => value.toLowerCase();
const sortedLower = (values: readonly string[]) => [...new Set(values.map(lower))].sort();
const sameSet = (a: readonly string[], b: readonly string[]) => JSON.stringify(sortedLower(a)) === JSON.stringify(sortedLower(b));
const onOff = (value: boolean) => (value ? "on" : "off");
const plusMinus = (added: readonly string[], removed: readonly string[]) => [...added.map((a) => `+ ${a}`), ...removed.map((r) => `− ${r}`)].join(", ");

function userConsentEqual(a: UserConsentSection, b: UserConsentSection): boolean {
  if (a.policy !== b.policy) return false;
  return a.policy !== "custom" || sameSet(a.entries ?? [], b.entries ?? []);
}

function diffUserConsent(tenant: UserConsentSection | undefined, wanted: UserConsentSection): string[] {
  if (tenant && userConsentEqual(tenant, wanted)) return [];
  const from = tenant ? USER_CONSENT_WORDS[tenant.policy] : "not read";
  return [`User consent: ${from} → ${USER_CONSENT_WORDS[wanted.policy]}`];
}

const reviewerKey = (r: WorkflowReviewer) => `${r.type}:${lower(r.id)}`;
const REVIEWER_KIND: Record<WorkflowReviewer["type"], string> = { user: "user", group: "group", role: "role" };
const reviewerWords = (r: WorkflowReviewer, names: ReadonlyMap<string, string>) => `${REVIEWER_KIND[r.type]} ${names.get(reviewerKey(r)) ?? r.name ?? r.id}`;

function diffWorkflow(tenant: WorkflowSection | undefined, wanted: WorkflowSection): string[] {
  const title = SECTION_TITLES.adminConsentWorkflow;
  if (!tenant) return [`${title}: not read → ${wanted.enabled ? "on" : "off"}`];
  const lines: string[] = [];
  if (tenant.enabled !== wanted.enabled) lines.push(`${title}: ${onOff(tenant.enabled)} → ${onOff(wanted.enabled)}`);
  // The tenant's names are the current ones; the document's are what its author saw.
  const names = new Map<string, string>();
  for (const r of [...wanted.reviewers, ...tenant.reviewers]) if (r.name) names.set(reviewerKey(r), r.name);
  const before = new Set(tenant.reviewers.map(reviewerKey));
  const after = new Set(wanted.reviewers.map(reviewerKey));
  const added = wanted.reviewers.filter((r) => !before.has(reviewerKey(r))).map((r) => reviewerWords(r, names));
  const removed = tenant.reviewers.filter((r) => !after.has(reviewerKey(r))).map((r) => reviewerWords(r, names));
  if (added.length || removed.length) lines.push(`${title} reviewers: ${plusMinus(added, removed)}`);
  if (tenant.notifyReviewers !== wanted.notifyReviewers) lines.push(`${title} email to reviewers: ${onOff(tenant.notifyReviewers)} → ${onOff(wanted.notifyReviewers)}`);
  if (tenant.remindersEnabled !== wanted.remindersEnabled) lines.push(`${title} reminders: ${onOff(tenant.remindersEnabled)} → ${onOff(wanted.remindersEnabled)}`);
  if (tenant.requestDurationInDays !== wanted.requestDurationInDays) lines.push(`${title} requests expire after: ${tenant.requestDurationInDays} → ${wanted.requestDurationInDays} days`);
  return lines;
}

/** The classifications to add and remove to get from the tenant's list to the document's (names as the document spells them). */
export function classificationChange(tenant: readonly string[], wanted: readonly string[]): { add: string[]; remove: string[] } {
  const now = new Set(tenant.map(lower));
  const want = new Set(wanted.map(lower));
  return { add: wanted.filter((n) => !now.has(lower(n))), remove: tenant.filter((n) => !want.has(lower(n))) };
}

function diffClassifications(tenant: readonly string[] | undefined, wanted: readonly string[]): string[] {
  const { add, remove } = classificationChange(tenant ?? [], wanted);
  return add.length || remove.length ? [`Classifications: ${plusMinus(add, remove)}`] : [];
}

function groupWords(g: GroupOwnerConsentSection | undefined): string {
  if (!g) return "not available in this tenant";
  if (g.mode === "off") return "off";
  if (g.mode === "all") return "every group owner";
  return `owners who are members of “${g.groupName ?? g.groupId}”`;
}

function groupEqual(a: GroupOwnerConsentSection, b: GroupOwnerConsentSection): boolean {
  return a.mode === b.mode && (a.mode !== "group" || lower(a.groupId ?? "") === lower(b.groupId ?? ""));
}

function diffGroupConsent(tenant: GroupOwnerConsentSection | undefined, wanted: GroupOwnerConsentSection): string[] {
  if (tenant && groupEqual(tenant, wanted)) return [];
  return [`Group-owner consent: ${groupWords(tenant)} → ${groupWords(wanted)}`];
}

const CONSENT_TYPE_WORDS: Record<BaselineEntryPermission["consentType"], string> = {
  AllPrincipals: "all users",
  Principal: "users' own consent",
  Application: "application",
};

export function permissionWords(p: BaselineEntryPermission): string {
  const on = lower(p.resourceAppId) === MICROSOFT_GRAPH_APP_ID ? "" : ` on ${p.resourceName}`;
  return `${p.value}${on} (${CONSENT_TYPE_WORDS[p.consentType]})`;
}

/** Whether two baselines approve the same: permissions and verified publisher (names and approvers are for reading). */
export function baselineEqual(a: Pick<BaselineEntry, "permissions" | "verifiedPublisher">, b: Pick<BaselineEntry, "permissions" | "verifiedPublisher">): boolean {
  return (a.verifiedPublisher ?? null) === (b.verifiedPublisher ?? null) && sameSet(a.permissions.map(permissionKey), b.permissions.map(permissionKey));
}

function diffBaselines(tenant: readonly BaselineEntry[], wanted: readonly BaselineEntry[]): { lines: string[]; notes: string[] } {
  const now = new Map(tenant.map((b) => [lower(b.appId), b]));
  const listed = new Set(wanted.map((b) => lower(b.appId)));
  const lines: string[] = [];
  for (const want of wanted) {
    const have = now.get(lower(want.appId));
    const name = want.displayName;
    if (!have) {
      const perms = want.permissions.map(permissionWords);
      lines.push(`Baseline of ${name} (new): ${perms.length ? perms.map((p) => `+ ${p}`).join(", ") : "approves no permissions"}`);
      continue;
    }
    if (baselineEqual(have, want)) continue;
    const haveKeys = new Set(have.permissions.map(permissionKey));
    const wantKeys = new Set(want.permissions.map(permissionKey));
    const added = want.permissions.filter((p) => !haveKeys.has(permissionKey(p))).map(permissionWords);
    const removed = have.permissions.filter((p) => !wantKeys.has(permissionKey(p))).map(permissionWords);
    if (added.length || removed.length) lines.push(`Baseline of ${name}: ${plusMinus(added, removed)}`);
    if ((have.verifiedPublisher ?? null) !== (want.verifiedPublisher ?? null)) {
      lines.push(`Baseline of ${name}: verified publisher ${have.verifiedPublisher ? `“${have.verifiedPublisher}”` : "none"} → ${want.verifiedPublisher ? `“${want.verifiedPublisher}”` : "none"}`);
    }
  }
  const kept = tenant.filter((b) => !listed.has(lower(b.appId))).map((b) => b.displayName);
  const notes = kept.length ? [`Not in the document, kept as they are: ${kept.join(", ")}.`] : [];
  return { lines, notes };
}

/** The baselines the document changes or adds (the ones applying it writes). */
export function changedBaselines(tenant: readonly BaselineEntry[], wanted: readonly BaselineEntry[]): BaselineEntry[] {
  const now = new Map(tenant.map((b) => [lower(b.appId), b]));
  return wanted.filter((want) => {
    const have = now.get(lower(want.appId));
    return !have || !baselineEqual(have, want);
  });
}

export function diffSettings(tenant: SettingsSpec, document: SettingsSpec): SettingsDiff {
  const sections = SECTIONS.map((section): SectionDiff => {
    const title = SECTION_TITLES[section];
    let lines: string[] = [];
    let notes: string[] = [];
    switch (section) {
      case "userConsent":
        if (document.userConsent) lines = diffUserConsent(tenant.userConsent, document.userConsent);
        break;
      case "adminConsentWorkflow":
        if (document.adminConsentWorkflow) lines = diffWorkflow(tenant.adminConsentWorkflow, document.adminConsentWorkflow);
        break;
      case "classifications":
        if (document.classifications) lines = diffClassifications(tenant.classifications?.lowImpact, document.classifications.lowImpact);
        break;
      case "groupOwnerConsent":
        if (document.groupOwnerConsent) lines = diffGroupConsent(tenant.groupOwnerConsent, document.groupOwnerConsent);
        break;
      case "baselines":
        if (document.baselines) ({ lines, notes } = diffBaselines(tenant.baselines ?? [], document.baselines));
        break;
    }
    const state: SectionState = document[section] === undefined ? "not-in-document" : lines.length ? "changed" : "same";
    if (state === "not-in-document") notes = ["Not in the document: left as it is."];
    return { section, title, state, lines, notes };
  });
  const adds = document.classifications ? classificationChange(tenant.classifications?.lowImpact ?? [], document.classifications.lowImpact).add : [];
  return {
    sections,
    changed: sections.some((s) => s.state === "changed"),
    highRiskClassifications: adds.filter((name) => ["High", "Critical"].includes(riskOf(MICROSOFT_GRAPH_APP_ID, "delegated", name))),
  };
}

/**
 * The settings that count, without the names and approvals kept for reading: two specs with the same
 * projection are the same settings. The preview's fingerprint is made from it.
 */
export function comparableSpec(spec: SettingsSpec): unknown {
  return {
    userConsent: spec.userConsent ? { policy: spec.userConsent.policy, entries: spec.userConsent.policy === "custom" ? sortedLower(spec.userConsent.entries ?? []) : [] } : null,
    adminConsentWorkflow: spec.adminConsentWorkflow
      ? { ...spec.adminConsentWorkflow, reviewers: spec.adminConsentWorkflow.reviewers.map(reviewerKey).sort() }
      : null,
    classifications: spec.classifications ? sortedLower(spec.classifications.lowImpact) : null,
    groupOwnerConsent: spec.groupOwnerConsent ? { mode: spec.groupOwnerConsent.mode, groupId: spec.groupOwnerConsent.mode === "group" ? lower(spec.groupOwnerConsent.groupId ?? "") : null } : null,
    baselines: (spec.baselines ?? [])
      .map((b) => ({ appId: lower(b.appId), verifiedPublisher: b.verifiedPublisher ?? null, permissions: sortedLower(b.permissions.map(permissionKey)) }))
      .sort((a, b) => a.appId.localeCompare(b.appId)),
  };
}
