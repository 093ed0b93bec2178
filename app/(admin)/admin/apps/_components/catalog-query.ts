import { z } from "zod";
import type { CatalogPermissions } from "@/lib/catalog";
import { riskOf, type RiskLevel } from "@/lib/permissions";

/** The apps list's search, order and page, as they appear in the URL (a view is a link that survives reload). */
export const SORTS = ["name", "risk", "publisher"] as const;
export type CatalogSort = (typeof SORTS)[number];
export const PAGE_SIZE = 24;

export const catalogQuerySchema = z.object({
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(SORTS).catch("name"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
export type CatalogQuery = z.infer<typeof catalogQuerySchema>;

const RANK: Record<RiskLevel, number> = { Critical: 4, High: 3, Medium: 2, Low: 1, Unrated: 0 };

/** The riskiest permission an app asks for, by CISA ScubaGear's ratings: the badge on its row. */
export function highestRisk(permissions: CatalogPermissions): RiskLevel {
  let worst: RiskLevel = "Unrated";
  for (const resource of permissions) {
    const levels = [...resource.scopes.map((s) => riskOf(resource.resourceAppId, "delegated", s)), ...resource.appRoles.map((r) => riskOf(resource.resourceAppId, "application", r))];
    for (const level of levels) if (RANK[level] > RANK[worst]) worst = level;
  }
  return worst;
}

type Listed = { appId: string; displayName: string; publisher: string | null; permissions: CatalogPermissions };

/**
 * One page of `apps` matching `q` (name, publisher or app ID, any case), in `sort` order; riskiest
 * first for "risk", names breaking ties. `page` past the end falls back to the last page.
 */
export function queryCatalog<T extends Listed>(apps: T[], query: CatalogQuery): { items: (T & { risk: RiskLevel })[]; total: number; page: number; pages: number } {
  const needle = query.q.toLowerCase();
  const matching = apps
    .filter((app) => !needle || app.displayName.toLowerCase().includes(needle) || (app.publisher ?? "").toLowerCase().includes(needle) || app.appId.toLowerCase() === needle)
    .map((app) => ({ ...app, risk: highestRisk(app.permissions) }));
  const byName = (a: Listed, b: Listed) => a.displayName.localeCompare(b.displayName);
  matching.sort((a, b) => {
    if (query.sort === "risk") return RANK[b.risk] - RANK[a.risk] || byName(a, b);
    if (query.sort === "publisher") return (a.publisher ?? "\uffff").localeCompare(b.publisher ?? "\uffff") || byName(a, b);
    return byName(a, b);
  });
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return { items: matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total: matching.length, page, pages };
}

/** The list's URL with `changes` applied; defaults left out so links stay short. */
export function catalogHref(query: CatalogQuery, changes: Partial<CatalogQuery>): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.sort !== "name") params.set("sort", next.sort);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return `/admin/apps${search ? `?${search}` : ""}`;
}
