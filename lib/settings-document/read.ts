import "server-only";
import { createHash } from "node:crypto";
import { listBaselines } from "@/lib/baseline/store";
import { readClassifications } from "@/lib/consent/classifications/load";
import { readWorkflowPolicy, reviewerNames } from "@/lib/consent/consent-workflow/load";
import { reviewerKey, reviewersOf, type Reviewer } from "@/lib/consent/consent-workflow/plan";
import { readGroupConsentState } from "@/lib/consent/group-consent/load";
import { currentUserConsent, type UserConsentChoice } from "@/lib/consent/user-consent/plan";
import type { GraphSession } from "@/lib/graph/client";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { readDelegatedScopesOf } from "@/lib/graph/service-principals";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { classifiedNames } from "@/lib/consent/classifications/plan";
import { comparableSpec } from "./diff";
import { API_VERSION, KIND, type SettingsDocument, type SettingsSpec, type UserConsentPolicy } from "./schema";
import { canonicalSpec } from "./serialize";

/**
 * The tenant's consent settings as a document, read the way each policy wizard reads its own setting
 * (through lib/graph, as the signed-in admin or reviewer), and the approved baselines from the portal's
 * database. A group-owner consent section is left out where the tenant has no such setting (newer tenants).
 */

export const POLICY_OF_CHOICE: Record<UserConsentChoice, Exclude<UserConsentPolicy, "custom">> = {
  none: "none",
  low: "low-impact",
  recommended: "microsoft-managed",
  legacy: "all-apps",
};
export const CHOICE_OF_POLICY: Record<Exclude<UserConsentPolicy, "custom">, UserConsentChoice> = {
  none: "none",
  "low-impact": "low",
  "microsoft-managed": "recommended",
  "all-apps": "legacy",
};

async function readUserConsent(graph: GraphSession): Promise<NonNullable<SettingsSpec["userConsent"]>> {
  const current = currentUserConsent(await readUserConsentPolicies(graph.client));
  return current.choice === "custom" ? { policy: "custom", entries: current.selfEntries } : { policy: POLICY_OF_CHOICE[current.choice] };
}

async function readWorkflowAndGroup(graph: GraphSession): Promise<Pick<SettingsSpec, "adminConsentWorkflow" | "groupOwnerConsent">> {
  const [policy, group] = await Promise.all([readWorkflowPolicy(graph.client), readGroupConsentState(graph.client)]);
  const reviewers = reviewersOf(policy);
  const groupReviewer = group.kind !== "unavailable" && group.current.groupId ? [{ kind: "group" as const, id: group.current.groupId }] : [];
  // One lookup for every name the document shows: reviewers and the group-owner consent group.
  const names = await reviewerNames(graph.client, [...reviewers, ...groupReviewer]);
  return {
    adminConsentWorkflow: {
      enabled: policy.isEnabled,
      reviewers: reviewers.map((r) => ({ type: r.kind, id: r.id, ...(names.get(reviewerKey(r)) ? { name: names.get(reviewerKey(r))! } : {}) })),
      notifyReviewers: policy.notifyReviewers,
      remindersEnabled: policy.remindersEnabled,
      requestDurationInDays: policy.requestDurationInDays,
    },
    ...(group.kind === "unavailable"
      ? {}
      : {
          groupOwnerConsent:
            group.current.mode === "group" && group.current.groupId
              ? { mode: "group" as const, groupId: group.current.groupId, groupName: names.get(reviewerKey({ kind: "group", id: group.current.groupId })) ?? group.current.groupId }
              : { mode: group.current.mode },
        }),
  };
}

/**
 * The document as written, with a name for each reviewer and group it gives by ID only, from the directory,
 * so the comparison says "user Alex Wilber" rather than a GUID; an ID the directory no longer holds says so.
 * Names are for reading: comparing and applying go by ID, so a failed lookup leaves the IDs as they are.
 */
export async function withDirectoryNames(graph: GraphSession, spec: SettingsSpec): Promise<SettingsSpec> {
  const workflow = spec.adminConsentWorkflow;
  const group = spec.groupOwnerConsent;
  const unnamedGroup = group?.mode === "group" && group.groupId && !group.groupName ? group.groupId : null;
  const unnamed: Reviewer[] = [...(workflow?.reviewers.filter((r) => !r.name).map((r) => ({ kind: r.type, id: r.id })) ?? []), ...(unnamedGroup ? [{ kind: "group" as const, id: unnamedGroup }] : [])];
  if (unnamed.length === 0) return spec;
  const names = await reviewerNames(graph.client, unnamed).catch(() => new Map<string, string>());
  const nameOf = (reviewer: Reviewer) => names.get(reviewerKey(reviewer));
  return {
    ...spec,
    ...(workflow && { adminConsentWorkflow: { ...workflow, reviewers: workflow.reviewers.map((r) => ({ ...r, name: r.name ?? nameOf({ kind: r.type, id: r.id }) })) } }),
    ...(group && unnamedGroup && { groupOwnerConsent: { ...group, groupName: nameOf({ kind: "group", id: unnamedGroup }) } }),
  };
}

async function readLowImpact(graph: GraphSession): Promise<string[]> {
  const [current, { scopes }] = await Promise.all([readClassifications(graph.client), readDelegatedScopesOf(graph.client, MICROSOFT_GRAPH_APP_ID)]);
  const published = scopes.flatMap((s) => (s.id && s.value ? [{ id: s.id, value: s.value, type: s.type ?? "User" }] : []));
  return classifiedNames(
    current.filter((c) => c.classification === "low"),
    published,
  );
}

async function readBaselines(): Promise<NonNullable<SettingsSpec["baselines"]>> {
  return (await listBaselines()).map((b) => ({
    appId: b.appId,
    displayName: b.displayName,
    verifiedPublisher: b.verifiedPublisher,
    permissions: b.permissions.map((p) => ({ resourceAppId: p.resourceAppId, resourceName: p.resourceName, consentType: p.consentType, value: p.value })),
    approvedBy: b.approvedBy.upn,
    approvedAt: b.approvedAt,
    version: b.version,
  }));
}

export type ReadOptions = { tenantId: string; exportedBy: string; now?: Date };

export async function readTenantSettings(graph: GraphSession, options: ReadOptions): Promise<SettingsDocument> {
  const [userConsent, workflowAndGroup, lowImpact, baselines] = await Promise.all([readUserConsent(graph), readWorkflowAndGroup(graph), readLowImpact(graph), readBaselines()]);
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { tenantId: options.tenantId.toLowerCase(), exportedAt: (options.now ?? new Date()).toISOString(), exportedBy: options.exportedBy },
    spec: canonicalSpec({ userConsent, ...workflowAndGroup, classifications: { lowImpact }, baselines }),
  };
}

/** A short fingerprint of the settings as read: the preview carries it, and applying refuses if the tenant's differs by then. */
export function settingsFingerprint(spec: SettingsSpec): string {
  return createHash("sha256").update(JSON.stringify(comparableSpec(spec))).digest("base64url");
}
