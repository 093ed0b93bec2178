import { z } from "zod";
import type { PostureBaselineId } from "./types";
import { CHANGES, CONSENT_TYPES, DEFAULT_DIRECTION, FINDING_KINDS, OPTIONAL_COLUMNS, RISK_LEVELS, SEVERITIES, SORTS, type SortDirection, type SortKey } from "./vocabulary";

export * from "./vocabulary";

/**
 * The inventory table's view as it appears in the URL (sort, filter, search, columns, page), so a
 * view is a link: it survives reload, and the export reads the same parameters. Pure: shared by the
 * pages, the export route and the query.
 */

/** An empty form field means "not set", as the filter form submits every field. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const inventoryFilterSchema = z.object({
  sort: optional(z.enum(SORTS)),
  dir: optional(z.enum(["asc", "desc"])),
  level: optional(z.enum(RISK_LEVELS)),
  verified: optional(z.enum(["yes", "no"])),
  consent: optional(z.enum(CONSENT_TYPES)),
  change: optional(z.enum(CHANGES)),
  q: optional(z.string().trim().max(200, "Search for at most 200 characters.")),
});
export type InventoryFilter = z.infer<typeof inventoryFilterSchema>;

export const findingFilterSchema = z.object({
  kind: optional(z.enum(FINDING_KINDS)),
  severity: optional(z.enum(SEVERITIES)),
  q: optional(z.string().trim().max(200, "Search for at most 200 characters.")),
});
export type FindingFilter = z.infer<typeof findingFilterSchema>;

/** A keyset cursor: base64url of the last row's sort value and id; opaque to readers, checked on decode. */
export const cursorSchema = optional(z.string().max(400).regex(/^[A-Za-z0-9_-]+$/, "a page link"));

/** Hidden optional columns, as `hide=publisher,change`; unknown names are dropped. */
export const hiddenColumnsSchema = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").filter(Boolean) : []),
  z.array(z.string()).transform((names) => OPTIONAL_COLUMNS.filter((column) => names.includes(column))),
);

export function sortOf(filter: InventoryFilter): { sort: SortKey; dir: SortDirection } {
  const sort = filter.sort ?? "risk";
  return { sort, dir: filter.dir ?? DEFAULT_DIRECTION[sort] };
}

/** Query string of the values set (empty ones left out), with `extra` on top: links that keep the view. */
export function toSearch(values: Record<string, string | undefined>, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  const search = params.toString();
  return search ? `?${search}` : "";
}

export const BASELINE_IDS = ["eidsca", "scuba", "microsoft-managed"] as const satisfies readonly PostureBaselineId[];
export const postureBaselineSchema = z.enum(BASELINE_IDS);
/** The posture page's baseline choice, as its form posts it. */
export const chooseBaselineSchema = z.object({ baseline: postureBaselineSchema });
/** The reviewer's chosen baseline, remembered between visits. */
export const BASELINE_COOKIE = "inventory-baseline";
