import { z } from "zod";
import { GraphError } from "../state/errors";
import { seededRandom } from "../state/ids";
import type { Tenant } from "../state/tenant";

const rule = z.object({
  /** 403: what Graph answers a tenant without the licence a report needs (sign-in reports need Entra ID P1) */
  status: z.union([z.literal(403), z.literal(429), z.literal(503), z.literal(504)]),
  /** only these methods (default: all) */
  methods: z.array(z.string()).optional(),
  /** regex source tested against "/v1.0/…" or "/beta/…" (path only, no query) */
  pathPattern: z.string().optional(),
  /** probability 0..1 per matching call, from a seeded PRNG so runs repeat */
  rate: z.number().min(0).max(1).optional(),
  /** deterministic: the Nth, 2Nth, 3Nth… matching call fails */
  everyNth: z.number().int().min(1).optional(),
  /** stop after failing this many calls */
  times: z.number().int().min(1).optional(),
  /** Retry-After value; null sends none (clients must back off on their own) */
  retryAfterSeconds: z.number().int().min(0).nullable().default(1),
  retryAfterFormat: z.enum(["seconds", "http-date"]).default("seconds"),
});

export const faultConfigSchema = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  rules: z.array(rule).default([]),
  /** a just-created service principal, grant or assignment answers 404 for this long */
  replicationDelayMs: z.number().int().min(0).max(600_000).default(0),
  /** also leave just-created objects out of list results (eventual consistency in lists) */
  replicationAffectsLists: z.boolean().default(false),
  seed: z.number().int().default(1),
  /**
   * Page tokens that expire: of the requests carrying a $skiptoken (on paths matching pathPattern), the
   * first `after` go through and the next `times` answer 400 Directory_ExpiredPageToken, as Graph does
   * when a token is no longer honoured. The token cannot be renewed: a client reads from the first page again.
   */
  expirePageTokens: z.strictObject({
    pathPattern: z.string().optional(),
    after: z.number().int().min(0).default(0),
    times: z.number().int().min(1).default(1),
  }).optional(),
});
export type FaultConfig = z.output<typeof faultConfigSchema>;
export type FaultConfigInput = z.input<typeof faultConfigSchema>;

const CODES: Record<number, { code: string; message: string }> = {
  403: { code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Neither tenant is B2C or tenant doesn't have premium license" },
  429: { code: "TooManyRequests", message: "Too many requests. Retry after the time given in the Retry-After header." },
  503: { code: "serviceNotAvailable", message: "The service is temporarily unavailable. Try again later." },
  504: { code: "gatewayTimeout", message: "The request timed out at the gateway." },
};

/** Injected faults: /v1.0 and /beta only, never /_sim. Each call (and each $batch part) is judged on its own. */
export class FaultInjector {
  #config: FaultConfig = faultConfigSchema.parse({});
  #matched: number[] = [];
  #fired: number[] = [];
  #rand = seededRandom(1);
  #tokensSeen = 0;

  get config(): FaultConfig {
    return this.#config;
  }
  set(input: FaultConfigInput): FaultConfig {
    this.#config = faultConfigSchema.parse(input);
    this.#matched = this.#config.rules.map(() => 0);
    this.#fired = this.#config.rules.map(() => 0);
    this.#rand = seededRandom(this.#config.seed);
    this.#tokensSeen = 0;
    return this.#config;
  }
  clear(): void {
    this.set({});
  }

  /**
   * The fault for this call, if any. `fullPath` includes the version prefix. A $batch envelope is
   * checked with onlyExplicitPaths, so only rules whose pattern names it can fail the whole batch.
   */
  check(method: string, fullPath: string, nowMs: number, onlyExplicitPaths = false): GraphError | null {
    const rules = this.#config.rules;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      if (!r) continue;
      if (onlyExplicitPaths && r.pathPattern === undefined) continue;
      if (r.methods && !r.methods.some((m) => m.toUpperCase() === method.toUpperCase())) continue;
      if (r.pathPattern !== undefined && !new RegExp(r.pathPattern, "i").test(fullPath)) continue;
      const matched = (this.#matched[i] = (this.#matched[i] ?? 0) + 1);
      if (r.times !== undefined && (this.#fired[i] ?? 0) >= r.times) continue;
      const fire = r.everyNth !== undefined ? matched % r.everyNth === 0 : r.rate !== undefined ? this.#rand() < r.rate : true;
      if (!fire) continue;
      this.#fired[i] = (this.#fired[i] ?? 0) + 1;
      const headers: Record<string, string> = {};
      if (r.retryAfterSeconds !== null) {
        headers["retry-after"] = r.retryAfterFormat === "http-date"
          ? new Date(nowMs + r.retryAfterSeconds * 1000).toUTCString()
          : String(r.retryAfterSeconds);
      }
      const c = CODES[r.status] ?? { code: "generalException", message: "Injected fault." };
      return new GraphError(r.status, c.code, c.message, headers);
    }
    return null;
  }

  /** Graph's answer to a page token the `expirePageTokens` rule expires, or null. */
  expiredPageToken(fullPath: string, query: URLSearchParams): GraphError | null {
    const rule = this.#config.expirePageTokens;
    if (!rule || !query.has("$skiptoken")) return null;
    if (rule.pathPattern !== undefined && !new RegExp(rule.pathPattern, "i").test(fullPath)) return null;
    const seen = (this.#tokensSeen += 1);
    if (seen <= rule.after || seen > rule.after + rule.times) return null;
    return new GraphError(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request.");
  }

  visibility(tenant: Tenant): (id: string) => boolean {
    const delay = this.#config.replicationDelayMs;
    if (delay <= 0) return () => true;
    return (id) => {
      const created = tenant.state.createdAtMs.get(id);
      return created === undefined || tenant.nowMs() - created >= delay;
    };
  }
}
