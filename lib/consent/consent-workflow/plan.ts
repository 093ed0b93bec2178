import { createHash } from "node:crypto";
import type { AdminConsentRequestPolicy } from "@microsoft/microsoft-graph-types";
/**
 * The admin consent workflow (adminConsentRequestPolicy): reviewers as Graph's reviewer queries, the
 * before/after in words, and whether anyone chosen could approve Microsoft Graph application permissions.
 * Pure: the facts about who holds which role are read elsewhere and passed in.
 */

export type ReviewerKind = "user" | "group" | "role";
export type Reviewer = { kind: ReviewerKind; id: string };
export type ReviewerScope = { query: string; queryType: string; queryRoot: string | null };

export type WorkflowPolicy = {
  isEnabled: boolean;
  notifyReviewers: boolean;
  remindersEnabled: boolean;
  requestDurationInDays: number;
  reviewers: ReviewerScope[];
};

export type WorkflowSettings = Omit<WorkflowPolicy, "reviewers"> & { reviewers: Reviewer[] };

/** Only these two roles can approve Microsoft Graph application permissions (GRAPH.md). */
export const GRAPH_APP_PERMISSION_APPROVER_ROLES = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
} as const;
const APPROVER_ROLE_IDS = new Set<string>(Object.values(GRAPH_APP_PERMISSION_APPROVER_ROLES));

const QUERY_PATTERNS: [ReviewerKind, RegExp][] = [
  ["user", /^(?:\/(?:v1\.0|beta))?\/users\/([0-9a-f-]{36})$/i],
  ["group", /^(?:\/(?:v1\.0|beta))?\/groups\/([0-9a-f-]{36})\/transitiveMembers\/microsoft\.graph\.user$/i],
  ["role", /^(?:\/(?:v1\.0|beta))?\/roleManagement\/directory\/roleAssignments\?\$filter=roleDefinitionId eq '([0-9a-f-]{36})'$/i],
];

export function reviewerQuery(reviewer: Reviewer): ReviewerScope {
  const id = reviewer.id.toLowerCase();
  const query =
    reviewer.kind === "user"
      ? `/users/${id}`
      : reviewer.kind === "group"
        ? `/groups/${id}/transitiveMembers/microsoft.graph.user`
        : `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${id}'`;
  return { query, queryType: "MicrosoftGraph", queryRoot: null };
}

/** The reviewer a query names, or null for a query the portal does not understand (kept as it is). */
export function parseReviewerQuery(scope: Pick<ReviewerScope, "query" | "queryType">): Reviewer | null {
  if (scope.queryType !== "MicrosoftGraph") return null;
  for (const [kind, pattern] of QUERY_PATTERNS) {
    const id = pattern.exec(scope.query)?.[1];
    if (id) return { kind, id: id.toLowerCase() };
  }
  return null;
}

/** The reviewers of a policy the portal can read; queries made outside it are left out (and kept as they are). */
export function reviewersOf(policy: WorkflowPolicy): Reviewer[] {
  return policy.reviewers.flatMap((scope) => {
    const reviewer = parseReviewerQuery(scope);
    return reviewer ? [reviewer] : [];
  });
}

export const reviewerKey = (reviewer: Reviewer) => `${reviewer.kind}:${reviewer.id.toLowerCase()}`;

export function parseReviewerKey(key: string): Reviewer | null {
  const match = /^(user|group|role):([0-9a-f-]{36})$/i.exec(key);
  return match ? { kind: match[1]!.toLowerCase() as ReviewerKind, id: match[2]!.toLowerCase() } : null;
}

const KIND_WORDS: Record<ReviewerKind, string> = { user: "user", group: "members of group", role: "everyone with the role" };

/** "user Alex Wilber", "members of group IT Admins", "everyone with the role Global Administrator". */
export function reviewerInWords(reviewer: Reviewer, names: ReadonlyMap<string, string>): string {
  return `${KIND_WORDS[reviewer.kind]} ${names.get(reviewerKey(reviewer)) ?? reviewer.id}`;
}

export function workflowInWords(policy: WorkflowPolicy, names: ReadonlyMap<string, string>): string[] {
  if (!policy.isEnabled) {
    return ["Users cannot request admin consent: they are told to ask an administrator, and no request reaches anyone."];
  }
  const reviewers = policy.reviewers.map((scope) => {
    const reviewer = parseReviewerQuery(scope);
    return reviewer ? reviewerInWords(reviewer, names) : `reviewer query “${scope.query}”`;
  });
  return [
    "Users can request admin consent to apps they cannot consent to themselves.",
    `Reviewers: ${reviewers.length ? reviewers.join("; ") : "none"}.`,
    policy.notifyReviewers ? "Reviewers get an email for each new request." : "Reviewers get no email for new requests.",
    policy.remindersEnabled ? "Reviewers get reminders before a request expires." : "No reminders before a request expires.",
    `A request expires after ${policy.requestDurationInDays} day${policy.requestDurationInDays === 1 ? "" : "s"}.`,
  ];
}

export type WorkflowChange = { label: string; before: string; after: string };

export type WorkflowPlan = {
  /** The PUT body for /policies/adminConsentRequestPolicy. */
  body: WorkflowPolicy;
  changes: WorkflowChange[];
  changed: boolean;
  beforeWords: string[];
  afterWords: string[];
  /** Reviewer queries made outside the portal that it cannot read: kept as they are. */
  keptQueries: string[];
  /** Why the change cannot be made as chosen; no PUT then. */
  refusal: string | null;
};

const onOff = (value: boolean) => (value ? "on" : "off");

export function planWorkflow(current: WorkflowPolicy, desired: WorkflowSettings, names: ReadonlyMap<string, string>): WorkflowPlan {
  const keptQueries = current.reviewers.filter((scope) => parseReviewerQuery(scope) === null);
  const seen = new Set<string>();
  const reviewers = desired.reviewers.filter((reviewer) => {
    const key = reviewerKey(reviewer);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const body: WorkflowPolicy = {
    isEnabled: desired.isEnabled,
    notifyReviewers: desired.notifyReviewers,
    remindersEnabled: desired.remindersEnabled,
    requestDurationInDays: desired.requestDurationInDays,
    reviewers: [...reviewers.map(reviewerQuery), ...keptQueries.map((scope) => ({ ...scope }))],
  };
  const describe = (scopes: ReviewerScope[]) =>
    scopes
      .map((scope) => {
        const reviewer = parseReviewerQuery(scope);
        return reviewer ? reviewerInWords(reviewer, names) : scope.query;
      })
      .sort()
      .join("; ") || "none";
  const changes: WorkflowChange[] = [];
  const compare = (label: string, before: string, after: string) => {
    if (before !== after) changes.push({ label, before, after });
  };
  compare("Users can request admin consent", current.isEnabled ? "yes" : "no", body.isEnabled ? "yes" : "no");
  compare("Reviewers", describe(current.reviewers), describe(body.reviewers));
  compare("Email notifications to reviewers", onOff(current.notifyReviewers), onOff(body.notifyReviewers));
  compare("Reminders", onOff(current.remindersEnabled), onOff(body.remindersEnabled));
  compare("Requests expire after", `${current.requestDurationInDays} days`, `${body.requestDurationInDays} days`);

  let refusal: string | null = null;
  if (!Number.isInteger(body.requestDurationInDays) || body.requestDurationInDays < 1 || body.requestDurationInDays > 30) {
    refusal = "Requests must expire after 1 to 30 days.";
  } else if (body.isEnabled && body.reviewers.length === 0) {
    refusal = "Choose at least one reviewer: Entra does not accept the workflow turned on without reviewers.";
  }
  return {
    body,
    changes,
    changed: changes.length > 0,
    beforeWords: workflowInWords(current, names),
    afterWords: workflowInWords(body, names),
    keptQueries: keptQueries.map((scope) => scope.query),
    refusal,
  };
}

/** Who holds Global Administrator or Privileged Role Administrator, and who is in the chosen groups. */
export type ApproverFacts = {
  /** Principal ids holding GA or PRA, by role template id. */
  approverRoleHolders: ReadonlyMap<string, readonly string[]>;
  /** Transitive user members of each chosen group. */
  groupMembers: ReadonlyMap<string, readonly string[]>;
};

/**
 * The user ids among the chosen reviewers who could approve Microsoft Graph application permissions
 * (only Global Administrators and Privileged Role Administrators can). Empty means: warn.
 */
export function graphAppPermissionApprovers(reviewers: readonly Reviewer[], facts: ApproverFacts): string[] {
  const privileged = new Set([...facts.approverRoleHolders.values()].flat());
  const out = new Set<string>();
  for (const reviewer of reviewers) {
    if (reviewer.kind === "user" && privileged.has(reviewer.id)) out.add(reviewer.id);
    if (reviewer.kind === "group") for (const id of facts.groupMembers.get(reviewer.id) ?? []) if (privileged.has(id)) out.add(id);
    if (reviewer.kind === "role" && APPROVER_ROLE_IDS.has(reviewer.id)) for (const id of facts.approverRoleHolders.get(reviewer.id) ?? []) out.add(id);
  }
  return [...out];
}

export const NO_GRAPH_APPROVER_WARNING =
  "None of the chosen reviewers can approve Microsoft Graph application permissions: only a Global Administrator or a Privileged Role Administrator can. Requests for them would wait until they expire. Add such a person, a group with one, or one of those roles.";

/** A short fingerprint of the workflow as read: the preview carries it, and saving refuses if the tenant's differs. */
export function workflowVersion(policy: WorkflowPolicy): string {
  const reviewers = policy.reviewers.map((r) => r.query.toLowerCase()).sort();
  const canonical = JSON.stringify([policy.isEnabled, policy.notifyReviewers, policy.remindersEnabled, policy.requestDurationInDays, reviewers]);
  return createHash("sha256").update(canonical).digest("base64url");
}

/** Why saving is refused when the tenant's workflow is no longer the one the admin previewed. */
export const CHANGED_SINCE_PREVIEW =
  "Another admin changed the admin consent workflow after your preview, so saving yours would overwrite their change unseen. Open the wizard again to see the current settings.";

/** When the check behind NO_GRAPH_APPROVER_WARNING could not be made: the preview says so rather than nothing. */
export const APPROVERS_NOT_CHECKED =
  "Could not check whether a reviewer can approve Microsoft Graph application permissions (only Global and Privileged Role Administrators can).";

/** The policy as Graph returns it, with Graph's defaults filled in. */
export function workflowPolicyOf(p: AdminConsentRequestPolicy): WorkflowPolicy {
  return {
    isEnabled: p.isEnabled ?? false,
    notifyReviewers: p.notifyReviewers ?? false,
    remindersEnabled: p.remindersEnabled ?? false,
    requestDurationInDays: p.requestDurationInDays ?? 30,
    reviewers: (p.reviewers ?? []).map((r) => ({ query: r.query ?? "", queryType: r.queryType ?? "MicrosoftGraph", queryRoot: r.queryRoot ?? null })),
  };
}
