import { badRequest, GraphError } from "../state/errors";
import type { RequestCtx, RouteResult } from "../http/context";
import { advancedOperators, evaluate, parseFilter, unsupported, type Expr } from "./filter";

export interface CollectionSpec {
  /** OData entity set name for @odata.context, e.g. "servicePrincipals" */
  entitySet: string;
  /** resource name in error messages, e.g. "microsoft.graph.servicePrincipal" */
  resource: string;
  filterable: ReadonlySet<string>;
  /** properties $search may target ("displayName:foo"); absent = $search unsupported */
  searchable?: ReadonlySet<string>;
  /** objects to page; newest-first ordering etc. is the caller's job */
  maxTop?: number;
}

/**
 * Microsoft Learn, "Advanced query capabilities on Microsoft Entra ID objects" (aka.ms/graph-docs/advanced-queries).
 * Directory objects answer some queries only when the request is an *advanced query*: the
 * `ConsistencyLevel: eventual` header and, except for `$search`, `$count=true`. Without them `$count=true` is
 * silently ignored, the `/$count` segment fails, and `ne`, `not`, `endsWith`, `$orderby` on most properties,
 * `$filter` with `$orderby`, and an OData cast on transitive members answer 400 Request_UnsupportedQuery.
 * Other resources (policies, audit logs, consent requests) are not directory objects and keep OData's rules.
 */
type DirectoryRules = {
  /** $orderby: properties sortable by default, and those sortable only in advanced queries ("Support for sorting") */
  orderBy: { basic: readonly string[]; advanced: readonly string[] };
  /** "The endsWith operator is supported only with advanced query parameters by mail, otherMails, userPrincipalName, and proxyAddresses" */
  endsWith: readonly string[];
};
const ENDS_WITH = ["mail", "otherMails", "userPrincipalName", "proxyAddresses"];
const DIRECTORY_OBJECTS: ReadonlyMap<string, DirectoryRules> = new Map([
  ["microsoft.graph.user", { orderBy: { basic: ["displayName", "userPrincipalName"], advanced: ["createdDateTime", "deletedDateTime"] }, endsWith: ENDS_WITH }],
  ["microsoft.graph.group", { orderBy: { basic: ["displayName"], advanced: ["deletedDateTime"] }, endsWith: ENDS_WITH }],
  ["microsoft.graph.servicePrincipal", { orderBy: { basic: [], advanced: ["displayName", "createdDateTime", "deletedDateTime"] }, endsWith: ENDS_WITH }],
  ["microsoft.graph.application", { orderBy: { basic: [], advanced: ["displayName", "createdDateTime", "deletedDateTime"] }, endsWith: ENDS_WITH }],
  ["microsoft.graph.directoryObject", { orderBy: { basic: [], advanced: [] }, endsWith: ENDS_WITH }],
  ["microsoft.graph.appRoleAssignment", { orderBy: { basic: [], advanced: [] }, endsWith: [] }],
  ["microsoft.graph.oAuth2PermissionGrant", { orderBy: { basic: [], advanced: [] }, endsWith: [] }],
]);

const directoryRules = (spec: Pick<CollectionSpec, "resource">): DirectoryRules | undefined => DIRECTORY_OBJECTS.get(spec.resource);

/** Whether the request carries the advanced query header (`$search` needs only this). */
const eventual = (ctx: RequestCtx) => (ctx.headers["consistencylevel"] ?? "").trim().toLowerCase() === "eventual";

/** Whether the request is an advanced query: the header and `$count=true` (or the `/$count` segment itself). */
export const isAdvancedQuery = (ctx: RequestCtx): boolean => eventual(ctx) && (ctx.query.get("$count") === "true" || /\/\$count$/i.test(ctx.path));

/** Graph's answer when a directory query needs the advanced query parameters and lacks one of them. */
export function requireAdvancedQuery(ctx: RequestCtx, what: string): void {
  if (isAdvancedQuery(ctx)) return;
  throw unsupported(`${what} is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`);
}

const KNOWN_OPTIONS = new Set(["$filter", "$select", "$top", "$skiptoken", "$count", "$search", "$orderby"]);

export function rejectUnknownOptions(query: URLSearchParams): void {
  for (const key of query.keys()) {
    if (key.startsWith("$") && !KNOWN_OPTIONS.has(key)) throw unsupported(`Query option '${key}' is not supported.`);
  }
}

export function parseSelect(query: URLSearchParams): string[] | null {
  const raw = query.get("$select");
  if (raw === null || raw.trim() === "") return null;
  return raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** $select keeps only the named properties plus id; unknown names fail as Graph's do. */
export function applySelect(obj: object, select: string[] | null, resource: string): Record<string, unknown> {
  const rec = obj as Record<string, unknown>;
  if (select === null) return { ...rec };
  const out: Record<string, unknown> = {};
  if ("id" in rec) out.id = rec.id;
  for (const p of select) {
    if (!(p in rec)) throw badRequest(`Could not find a property named '${p}' on type '${resource}'.`);
    out[p] = rec[p];
  }
  return out;
}

export function contextUrl(ctx: RequestCtx, fragment: string, select: string[] | null): string {
  return `${ctx.baseUrl}/${ctx.version}/$metadata#${fragment}${select ? `(${select.join(",")})` : ""}`;
}

function parseTop(query: URLSearchParams, max: number): number {
  const raw = query.get("$top");
  if (raw === null) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw badRequest(`Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`, "Request_BadRequest");
  }
  return n;
}

function parseSkip(query: URLSearchParams): number {
  const raw = query.get("$skiptoken");
  if (raw === null) return 0;
  try {
    const o = (JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { o?: unknown }).o;
    if (typeof o === "number" && Number.isInteger(o) && o >= 0) return o;
  } catch { /* fall through */ }
  throw badRequest("The specified page token value has expired or is invalid.", "Directory_ExpiredPageToken");
}

export function filterOf(ctx: RequestCtx, spec: CollectionSpec): Expr | null {
  const raw = ctx.query.get("$filter");
  if (raw === null || raw.trim() === "") return null;
  const rules = directoryRules(spec);
  if (!rules) return parseFilter(raw, spec.filterable, spec.resource);
  const expr = parseFilter(raw, spec.filterable, spec.resource, new Set(rules.endsWith));
  for (const op of advancedOperators(expr)) requireAdvancedQuery(ctx, `Operator '${op}'`);
  return expr;
}

function applySearch<T>(ctx: RequestCtx, spec: CollectionSpec, items: readonly T[]): readonly T[] {
  const raw = ctx.query.get("$search");
  if (raw === null) return items;
  if (!spec.searchable) throw unsupported(`$search is not supported on '${spec.entitySet}'.`);
  // the one advanced query that needs the header but not $count=true
  if (!eventual(ctx)) {
    throw unsupported("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  const m = /^"([A-Za-z]+):(.*)"$/.exec(raw.trim());
  if (!m || !spec.searchable.has(m[1] ?? "")) throw badRequest(`Invalid $search: ${raw}. Use "property:text" with one of ${[...spec.searchable].join(", ")}.`);
  const prop = m[1] ?? "";
  const needle = (m[2] ?? "").toLowerCase();
  return items.filter((i) => String((i as Record<string, unknown>)[prop] ?? "").toLowerCase().includes(needle));
}

function applyOrderBy<T>(ctx: RequestCtx, spec: CollectionSpec, items: readonly T[]): readonly T[] {
  const raw = ctx.query.get("$orderby");
  if (raw === null) return items;
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(raw);
  const prop = m?.[1] ?? "";
  const rules = directoryRules(spec);
  if (rules) {
    const basic = rules.orderBy.basic.includes(prop);
    if (!m || (!basic && !rules.orderBy.advanced.includes(prop))) throw unsupported(`Sorting by '${raw}' is not supported on '${spec.entitySet}'.`);
    if (!basic) requireAdvancedQuery(ctx, `Sorting by '${prop}'`);
    // "Use of $filter and $orderby in the same query for directory objects always requires advanced query parameters"
    if (ctx.query.get("$filter") !== null) requireAdvancedQuery(ctx, "$orderby with $filter");
  } else if (!m || !spec.filterable.has(prop)) {
    throw unsupported(`Sorting by '${raw}' is not supported on '${spec.entitySet}'.`);
  }
  const dir = (m[2] ?? "asc").toLowerCase() === "desc" ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = String((a as Record<string, unknown>)[prop] ?? "").toLowerCase();
    const y = String((b as Record<string, unknown>)[prop] ?? "").toLowerCase();
    return x < y ? -dir : x > y ? dir : 0;
  });
}

/**
 * What a list keeps before $search and $orderby: visible items that pass the filter. An array with nothing
 * to drop is used as it is (never mutated), so paging a cached collection costs the page, not the collection.
 */
function kept<T extends object>(ctx: RequestCtx, all: Iterable<T>, filter: Expr | null): readonly T[] {
  if (filter === null && !ctx.hideFromLists && Array.isArray(all)) return all as readonly T[];
  const items: T[] = [];
  for (const item of all) {
    if (ctx.hideFromLists && "id" in item && !ctx.visible(String(item.id))) continue;
    if (filter === null || evaluate(filter, item)) items.push(item);
  }
  return items;
}

/**
 * A Graph collection response: $filter/$search/$orderby, then a page of $top starting at the
 * $skiptoken offset, $select, @odata.count and an absolute @odata.nextLink on the same host.
 */
export function listResponse<T extends object>(ctx: RequestCtx, spec: CollectionSpec, all: Iterable<T>, prefiltered?: Expr | null, view: (item: T) => object = (i) => i): RouteResult {
  rejectUnknownOptions(ctx.query);
  const filter = prefiltered === undefined ? filterOf(ctx, spec) : prefiltered;
  const select = parseSelect(ctx.query);
  const top = parseTop(ctx.query, spec.maxTop ?? 999);
  const skip = parseSkip(ctx.query);
  const items = applyOrderBy(ctx, spec, applySearch(ctx, spec, kept(ctx, all, filter)));
  const page = items.slice(skip, skip + top).map((i) => applySelect(view(i), select, spec.resource));
  const body: Record<string, unknown> = { "@odata.context": contextUrl(ctx, spec.entitySet, select) };
  const count = ctx.query.get("$count");
  if (count !== null && count !== "true" && count !== "false") throw badRequest(`Invalid value '${count}' for $count.`);
  // directory objects count only in advanced queries; without the header $count=true is silently ignored
  if (count === "true" && (!directoryRules(spec) || eventual(ctx))) body["@odata.count"] = items.length;
  if (skip + top < items.length) {
    const next = new URLSearchParams(ctx.query);
    next.set("$skiptoken", Buffer.from(JSON.stringify({ o: skip + top })).toString("base64url"));
    // keys stay literal ($top, $skiptoken) as in Graph's own nextLinks; values are percent-encoded
    const qs = [...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    body["@odata.nextLink"] = `${ctx.baseUrl}/${ctx.version}${ctx.path}?${qs}`;
  }
  body.value = page;
  return { status: 200, body };
}

/**
 * The `/$count` segment of a collection: a bare number as text/plain. Directory objects count only in
 * advanced queries; without `ConsistencyLevel: eventual` Graph answers 400 "$count is not currently supported."
 */
export function countResponse<T extends object>(ctx: RequestCtx, spec: CollectionSpec, all: Iterable<T>): RouteResult {
  rejectUnknownOptions(ctx.query);
  if (directoryRules(spec) && !eventual(ctx)) throw badRequest("$count is not currently supported.");
  const filter = filterOf(ctx, spec);
  const items = applySearch(ctx, spec, kept(ctx, all, filter));
  return { status: 200, headers: { "content-type": "text/plain" }, body: String(items.length) };
}

/** A single entity response with @odata.context and $select applied. */
export function entityResponse(ctx: RequestCtx, entitySet: string, resource: string, obj: object, status = 200): RouteResult {
  rejectUnknownOptions(ctx.query);
  const select = parseSelect(ctx.query);
  return { status, body: { "@odata.context": `${contextUrl(ctx, entitySet, select)}/$entity`, ...applySelect(obj, select, resource) } };
}

export { GraphError };
