import type { FindingKind } from "./types";

/**
 * The inventory's words and choices, without their validation (filters.ts): client components import
 * these, so the table's bundle carries no schema library.
 */
export const RISK_LEVELS = ["Critical", "High", "Medium", "Low", "Unrated"] as const;
export const SORTS = ["risk", "name", "users", "signin"] as const;
export const CONSENT_TYPES = ["tenant-wide", "user", "application"] as const;
export const CHANGES = ["new", "changed", "any"] as const;
export const FINDING_KINDS = [
  "high-risk-unverified-publisher",
  "tenant-wide-mail-or-files",
  "user-consent-high-risk",
  "unused",
  "granted-outside-portal",
] as const satisfies readonly FindingKind[];
export const SEVERITIES = ["Critical", "High", "Medium", "Low"] as const;

/** Optional columns the reader may hide; name and risk always show. */
export const OPTIONAL_COLUMNS = ["publisher", "permissions", "users", "signin", "change"] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

export type SortKey = (typeof SORTS)[number];
export type SortDirection = "asc" | "desc";

/** Each sort's natural direction: riskiest, A–Z, most users, longest unused (never signed in first). */
export const DEFAULT_DIRECTION: Record<SortKey, SortDirection> = { risk: "desc", name: "asc", users: "desc", signin: "asc" };

export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  "high-risk-unverified-publisher": "High-risk permission, unverified publisher",
  "tenant-wide-mail-or-files": "Tenant-wide mail or files access",
  "user-consent-high-risk": "Users' own consent to high-risk scopes",
  unused: "No sign-in recently",
  "granted-outside-portal": "Granted outside the portal",
};

