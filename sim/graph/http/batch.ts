import { z } from "zod";
import { badRequest } from "../state/errors";
import { newGuid } from "../state/ids";
import type { RouteResult } from "./context";
import { dispatch, type DispatchInput } from "./dispatch";
import { JSON_TYPE } from "./respond";

export const MAX_BATCH_REQUESTS = 20;

function safeDecodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

const part = z.object({
  id: z.string().min(1),
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  dependsOn: z.array(z.string()).optional(),
});
const batchBody = z.object({ requests: z.array(part) });

/**
 * JSON $batch: at most 20 parts, each routed, authorized and fault-checked on its own, so one
 * batch can hold 200s, 403s and 429s side by side. Parts run in order; a part whose dependsOn
 * failed gets 424, as Graph does.
 */
export function runBatch(input: Omit<DispatchInput, "method" | "path" | "query" | "headers" | "body">, body: unknown): RouteResult {
  const parsed = batchBody.safeParse(body);
  if (!parsed.success) throw badRequest("Invalid batch payload: expected { requests: [{ id, method, url }] }.", "BadRequest");
  const requests = parsed.data.requests;
  if (requests.length === 0) throw badRequest("Batch request must contain at least one request.", "BadRequest");
  if (requests.length > MAX_BATCH_REQUESTS) throw badRequest(`Limit of ${MAX_BATCH_REQUESTS} requests exceeded.`, "BadRequest");
  const ids = new Set<string>();
  for (const r of requests) {
    if (ids.has(r.id)) throw badRequest(`Batch request ids must be unique: '${r.id}' is repeated.`, "BadRequest");
    ids.add(r.id);
    if (/^[a-z]+:\/\//i.test(r.url)) throw badRequest(`Batch request urls must be relative: '${r.url}'.`, "BadRequest");
    // Microsoft Learn "Combine multiple HTTP requests using JSON batching": "If a body is included with the
    // request, the headers object must contain a value for Content-Type." A write part without it fails
    // the whole batch, before any part runs.
    const hasContentType = Object.keys(r.headers ?? {}).some((k) => k.toLowerCase() === "content-type");
    if (r.body !== undefined && !hasContentType && ["POST", "PATCH", "PUT"].includes(r.method.toUpperCase())) {
      throw badRequest(`Batch request '${r.id}' has a body but no Content-Type header.`, "BadRequest");
    }
  }
  const statuses = new Map<string, number>();
  const responses = requests.map((r) => {
    const requestId = newGuid();
    const url = new URL(r.url.startsWith("/") ? r.url : `/${r.url}`, "http://batch.invalid");
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
    let result: RouteResult;
    if ((r.dependsOn ?? []).some((d) => (statuses.get(d) ?? 424) >= 400)) {
      result = { status: 424, body: { error: { code: "FailedDependency", message: "A request this request depends on failed." } } };
    } else {
      result = dispatch({
        ...input, requestId, clientRequestId: headers["client-request-id"] ?? requestId,
        method: r.method, path: safeDecodePath(url.pathname), query: url.searchParams, headers, body: r.body,
      });
    }
    statuses.set(r.id, result.status);
    const outHeaders: Record<string, string> = { ...result.headers, "request-id": requestId };
    if (result.body !== undefined) outHeaders["content-type"] = result.headers?.["content-type"] ?? JSON_TYPE;
    return { id: r.id, status: result.status, headers: outHeaders, ...(result.body === undefined ? {} : { body: result.body }) };
  });
  return { status: 200, body: { responses } };
}
