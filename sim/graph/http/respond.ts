import type { ServerResponse } from "node:http";
import { GraphError } from "../state/errors";
import type { RouteResult } from "./context";

export const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export function errorBody(code: string, message: string, requestId: string, clientRequestId: string) {
  return { error: { code, message, innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": requestId, "client-request-id": clientRequestId } } };
}

export function errorResult(e: unknown, requestId: string, clientRequestId: string, log?: (msg: string) => void): RouteResult {
  if (e instanceof GraphError) {
    return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, requestId, clientRequestId) };
  }
  log?.(`graph simulator: unexpected error ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return { status: 500, body: errorBody("generalException", "An unexpected error occurred in the simulator.", requestId, clientRequestId) };
}

export function send(res: ServerResponse, result: RouteResult, requestId: string, clientRequestId: string): void {
  const headers: Record<string, string> = {
    "request-id": requestId,
    "client-request-id": clientRequestId,
    "cache-control": "no-store",
    ...result.headers,
  };
  if (result.body === undefined || result.status === 204) {
    res.writeHead(result.status, headers).end();
    return;
  }
  // a text/plain answer (the /$count segment's bare number) goes as it is; everything else is JSON
  const plain = typeof result.body === "string" && result.headers?.["content-type"]?.startsWith("text/plain") === true;
  const text = plain ? String(result.body) : JSON.stringify(result.body);
  res.writeHead(result.status, { ...headers, "content-type": plain ? "text/plain" : JSON_TYPE, "content-length": String(Buffer.byteLength(text)) }).end(text);
}
