import { z } from "zod";

/** The browse/export filter, as it appears in the URL (so deep links survive reload). Shared by pages and routes. */
export const OUTCOMES = ["intended", "succeeded", "failed", "partial"] as const;
export const SOURCES = ["portal", "entra"] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .transform((value) => (value === "" ? undefined : value))
    .optional();
const date = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional()
  .refine((value) => value === undefined || (DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))), "a date as YYYY-MM-DD");

export const auditFilterSchema = z
  .object({
    actor: text(320),
    app: text(256),
    action: text(128),
    outcome: z.enum(OUTCOMES).optional().or(z.literal("").transform(() => undefined)),
    source: z.enum(SOURCES).optional().or(z.literal("").transform(() => undefined)),
    from: date,
    to: date,
    q: text(200),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” must be on or before “To”", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const seqSchema = z.string().regex(/^[1-9]\d{0,17}$/, "a sequence number");

/** A keyset page cursor, "<epoch ms>-<seq>" (lib/audit/query.ts). */
export const cursorSchema = z
  .string()
  .regex(/^\d{1,15}-[1-9]\d{0,17}$/, "a page cursor")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** Next's searchParams (string | string[]) → one string per key; repeated keys keep the first. */
export function firstValues(params: Record<string, string | string[] | undefined> | URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !(key in out)) out[key] = first;
  }
  return out;
}

/** The filter as URL query parameters (empty ones left out), for links that keep it. */
export function filterToSearch(filter: AuditFilter, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value) params.set(key, String(value));
  const search = params.toString();
  return search ? `?${search}` : "";
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL WHERE clause and parameters for a filter; `$n` numbering starts after `offset` existing params. */
export function filterSql(filter: AuditFilter, offset = 0): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${offset + params.length}`;
  };
  if (filter.actor) {
    if (GUID.test(filter.actor)) clauses.push(`"actorOid" = ${p(filter.actor.toLowerCase())}::uuid`);
    else {
      const like = p(`%${escapeLike(filter.actor)}%`);
      clauses.push(`("actorUpn" ILIKE ${like} OR "actorName" ILIKE ${like})`);
    }
  }
  if (filter.app) {
    if (GUID.test(filter.app)) clauses.push(`"targetAppId" = ${p(filter.app.toLowerCase())}`);
    else clauses.push(`"targetName" ILIKE ${p(`%${escapeLike(filter.app)}%`)}`);
  }
  if (filter.action) clauses.push(`action = ${p(filter.action)}`);
  if (filter.outcome) clauses.push(`outcome = ${p(filter.outcome)}`);
  if (filter.source) clauses.push(`source = ${p(filter.source)}`);
  if (filter.from) clauses.push(`"occurredAt" >= ${p(`${filter.from}T00:00:00.000Z`)}::timestamptz`);
  if (filter.to) clauses.push(`"occurredAt" < (${p(`${filter.to}T00:00:00.000Z`)}::timestamptz + interval '1 day')`);
  // Word search, served by the GIN index of migrations 20261126020000_audit_browse_indexes and
  // 20261126050000_audit_search_no_pending_list (the same expression, or the index is not used).
  if (filter.q) clauses.push(`to_tsvector('simple'::regconfig, coalesce(justification, '')) @@ plainto_tsquery('simple'::regconfig, ${p(filter.q)})`);
  return { where: clauses.length ? clauses.join(" AND ") : "TRUE", params };
}

/**
 * The order of the change list: newest first (the default), oldest first, or by app or actor name.
 * Not part of the export's filter.
 */
export const ORDERS = ["newest", "oldest", "app", "actor"] as const;
export const orderSchema = z
  .enum(ORDERS)
  .optional()
  .or(z.literal("").transform(() => undefined))
  .transform((value) => value ?? "newest");
