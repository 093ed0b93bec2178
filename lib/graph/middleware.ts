import type { Context, Middleware } from "@microsoft/microsoft-graph-client";
import { logger } from "@/lib/log";
import { DEFAULT_RETRY, retryDelay, type RetryOptions } from "./retry-policy";

/** One Graph call as the audit trail and result pages show it. */
export type GraphCallRecord = { method: string; url: string; status: number; requestId: string | null; attempt: number };

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function methodOf(context: Context): string {
  return (context.options?.method ?? (context.request instanceof Request ? context.request.method : "GET")).toUpperCase();
}

function urlOf(context: Context): string {
  return typeof context.request === "string" ? context.request : context.request.url;
}

/** One log line per call with Graph's request-id (the request's own id comes with it): path only, no query. */
function logGraphCall(call: GraphCallRecord): void {
  let path = call.url;
  try {
    path = new URL(call.url, "https://graph.invalid").pathname;
  } catch {
    path = call.url.split("?")[0] ?? "";
  }
  logger().info({ graph: { method: call.method, path, status: call.status, requestId: call.requestId, attempt: call.attempt } }, "graph call");
}

/**
 * Retries throttled and unavailable responses (429/503/504) no sooner than Retry-After, with
 * exponential backoff when there is none, and records every attempt with Graph's request-id.
 * Other statuses (400/401/403/404/409…) pass through untouched.
 */
export class RetryAndRecordMiddleware implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly calls: GraphCallRecord[],
    private readonly options: RetryOptions = DEFAULT_RETRY,
  ) {}

  setNext(next: Middleware) {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    if (!this.next) throw new Error("RetryAndRecordMiddleware needs a next middleware");
    for (let attempt = 1; ; attempt += 1) {
      await this.next.execute(context);
      const response = context.response;
      if (!response) return;
      const call = { method: methodOf(context), url: urlOf(context), status: response.status, requestId: response.headers.get("request-id"), attempt };
      this.calls.push(call);
      logGraphCall(call);
      const wait = retryDelay(response.status, response.headers.get("retry-after"), attempt, this.options);
      if (wait === null) return;
      await response.body?.cancel();
      await sleep(wait);
    }
  }
}
