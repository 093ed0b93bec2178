/** When and how long to wait before retrying a Graph call (S10). Pure, so it is tested alone. */

export const RETRYABLE_STATUSES = new Set([429, 503, 504]);

export type RetryOptions = {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff step without Retry-After, doubled each retry. */
  baseDelayMs: number;
  /** A wait longer than this is not made: the call fails as throttled instead of retrying early. */
  maxDelayMs: number;
};

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 4, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Milliseconds Retry-After asks for (delta-seconds or HTTP date), or undefined if absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `attempt` (1-based) of a call that got `status`, or null when it must
 * not be retried: a status other than 429/503/504 (never 400/401/403/409), retries used up, or a
 * Retry-After longer than the caller is willing to wait. Never sooner than Retry-After.
 */
export function retryDelay(status: number, retryAfter: string | null, attempt: number, options: RetryOptions, random = Math.random): number | null {
  if (!RETRYABLE_STATUSES.has(status) || attempt > options.maxRetries) return null;
  const asked = retryAfterMs(retryAfter);
  if (asked !== undefined) return asked > options.maxDelayMs ? null : asked;
  const backoff = options.baseDelayMs * 2 ** (attempt - 1);
  // Up to 20% jitter so that parallel callers do not retry in step.
  return Math.min(options.maxDelayMs, Math.round(backoff * (1 + 0.2 * random())));
}
