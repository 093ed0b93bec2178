import { GraphError } from "@microsoft/microsoft-graph-client";

/** What a failed Graph call said, in a shape pages and the audit trail can keep. */
export type GraphFailure = { status: number; code: string; message: string; requestId: string | null };

export function graphFailure(error: unknown): GraphFailure | undefined {
  if (!(error instanceof GraphError)) return undefined;
  return {
    status: error.statusCode,
    code: error.code ?? "unknown",
    message: error.message,
    requestId: error.requestId ?? error.headers?.get("request-id") ?? null,
  };
}

export function isGraphStatus(error: unknown, status: number): boolean {
  return error instanceof GraphError && error.statusCode === status;
}
