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

/** A read of something that may not exist: null for Graph's 404, any other failure thrown. */
export async function orNullIfMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isGraphStatus(error, 404)) return null;
    throw error;
  }
}

/** A DELETE: true when it removed the object, false when it was already gone (404). */
export async function deletedUnlessGone(remove: Promise<unknown>): Promise<boolean> {
  return (await orNullIfMissing(remove.then(() => true))) ?? false;
}
