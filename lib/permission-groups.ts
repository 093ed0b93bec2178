import type { PermissionKind, RiskLevel } from "@/lib/permissions";

/**
 * How long permission lists are shown and told: grouped by API, then by risk level, with one sentence
 * per level. Pure and free of the permission catalogs, so client components can use it too; the levels
 * come from lib/permissions.ts (heldPermissionRisk), computed by the caller.
 */

export const RISK_ORDER: readonly RiskLevel[] = ["Critical", "High", "Medium", "Low", "Unrated"];

/** One sentence per level: what granting a permission of that level means. */
export const RISK_EXPLANATION: Record<RiskLevel, string> = {
  Critical: "Can take over the tenant: change roles, policies, credentials or every account.",
  High: "Reads or changes the whole organization's data: every mailbox, file, user or group.",
  Medium: "Needs an admin's consent: reaches beyond what a user may share about themselves.",
  Low: "What users may grant on their own: signing in, their profile, their own data.",
  Unrated: "Not in the risk table, and the portal has no catalog for this API: ask the vendor what it allows.",
};

/** Levels whose groups are shown open: the ones an admin must read before confirming. */
export function opensByDefault(level: RiskLevel): boolean {
  return level === "Critical" || level === "High";
}

/** A group of more than this many permissions starts collapsed, unless its level opens by default. */
export const OPEN_GROUP_LIMIT = 4;

export type RiskGroup<T> = { level: RiskLevel; items: T[]; open: boolean };
export type ResourceGroup<T> = { resourceAppId: string; resourceName: string; count: number; levels: RiskGroup<T>[] };

type Groupable = { resourceAppId: string; resourceName: string; risk: RiskLevel };

/** One permission as lists show it (lib/permission-items.ts builds them from the catalogs). */
export type ListedPermission = {
  /** Unique within a list. */
  key: string;
  resourceAppId: string;
  resourceName: string;
  kind: PermissionKind;
  value: string;
  /** The level the portal gives it (heldPermissionRisk): the group it is shown in. */
  risk: RiskLevel;
  /** What it allows, in Microsoft's words. */
  displayName?: string;
};

/** Groups by API (in first-seen order), then by level (most dangerous first); items keep their order. */
export function groupPermissions<T extends Groupable>(items: readonly T[]): ResourceGroup<T>[] {
  const byResource = new Map<string, { name: string; items: T[] }>();
  for (const item of items) {
    const entry = byResource.get(item.resourceAppId) ?? { name: item.resourceName, items: [] };
    entry.items.push(item);
    byResource.set(item.resourceAppId, entry);
  }
  return [...byResource].map(([resourceAppId, { name, items: inResource }]) => ({
    resourceAppId,
    resourceName: name,
    count: inResource.length,
    levels: RISK_ORDER.flatMap((level) => {
      const atLevel = inResource.filter((item) => item.risk === level);
      if (atLevel.length === 0) return [];
      return [{ level, items: atLevel, open: opensByDefault(level) || atLevel.length <= OPEN_GROUP_LIMIT }];
    }),
  }));
}

export type RiskCounts = Partial<Record<RiskLevel, number>>;

export function countByRisk(items: readonly { risk: RiskLevel }[]): RiskCounts {
  const counts: RiskCounts = {};
  for (const item of items) counts[item.risk] = (counts[item.risk] ?? 0) + 1;
  return counts;
}

/** "3 High, 12 Medium, 44 Low" — most dangerous first, levels with none left out. */
export function riskCountsText(counts: RiskCounts): string {
  return RISK_ORDER.filter((level) => (counts[level] ?? 0) > 0)
    .map((level) => `${counts[level]} ${level === "Unrated" ? "not rated" : level}`)
    .join(", ");
}

export function permissionsWord(count: number): string {
  return count === 1 ? "1 permission" : `${count} permissions`;
}

/** One line per API: "65 permissions on Microsoft Graph: 5 Critical, 13 High, 33 Medium, 14 Low". */
export function resourceSummary(group: { resourceName: string; count: number; levels: { level: RiskLevel; items: unknown[] }[] }): string {
  const counts = Object.fromEntries(group.levels.map((entry) => [entry.level, entry.items.length])) as RiskCounts;
  return `${permissionsWord(group.count)} on ${group.resourceName}: ${riskCountsText(counts)}`;
}
