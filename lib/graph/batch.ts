import type { Client } from "@microsoft/microsoft-graph-client";
import { sleep } from "./middleware";
import { retryDelay, type RetryOptions } from "./retry-policy";

export const BATCH_LIMIT = 20;

export type BatchRequest = { id: string; method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; url: string; body?: unknown };
export type BatchResponse = { id: string; status: number; body: unknown; headers: Record<string, string>; attempts: number };

type BatchReply = { responses: { id: string; status: number; body?: unknown; headers?: Record<string, string> }[] };

function header(headers: Record<string, string> | undefined, name: string): string | null {
  const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
  return key ? (headers?.[key] ?? null) : null;
}

/**
 * Sends `requests` as JSON batches of at most 20 and returns one response per request (S13). Each part
 * is judged on its own: only parts answered 429/503/504 are sent again (no sooner than the longest
 * Retry-After among them, else with backoff); every other part, success or failure, is reported as is.
 */
export async function batch(client: Client, requests: BatchRequest[], retry: RetryOptions): Promise<BatchResponse[]> {
  const ids = new Set(requests.map((request) => request.id));
  if (ids.size !== requests.length) throw new Error("batch request ids must be unique");
  const results = new Map<string, BatchResponse>();
  let pending = requests;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const retryable: { request: BatchRequest; wait: number }[] = [];
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      const chunk = pending.slice(start, start + BATCH_LIMIT);
      const reply: BatchReply = await client.api("/$batch").post({
        requests: chunk.map(({ id, method, url, body }) =>
          body === undefined ? { id, method, url } : { id, method, url, body, headers: { "content-type": "application/json" } },
        ),
      });
      for (const part of reply.responses) {
        const request = chunk.find((candidate) => candidate.id === part.id);
        if (!request) continue;
        const wait = retryDelay(part.status, header(part.headers, "retry-after"), attempt, retry);
        results.set(part.id, { id: part.id, status: part.status, body: part.body ?? null, headers: part.headers ?? {}, attempts: attempt });
        if (wait !== null) retryable.push({ request, wait });
      }
    }
    pending = retryable.map(({ request }) => request);
    if (pending.length > 0) await sleep(Math.max(...retryable.map(({ wait }) => wait)));
  }
  return requests.map((request) => results.get(request.id) ?? { id: request.id, status: 0, body: null, headers: {}, attempts: 0 });
}
