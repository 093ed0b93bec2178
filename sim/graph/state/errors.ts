/**
 * A Graph-shaped failure. Domain code throws it; the HTTP layer turns it into
 * `{ error: { code, message, innerError } }` with the same status.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "GraphError";
  }
}

export const notFound = (id: string): GraphError =>
  new GraphError(
    404,
    "Request_ResourceNotFound",
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const badRequest = (message: string, code = "Request_BadRequest"): GraphError =>
  new GraphError(400, code, message);

export const forbidden = (): GraphError =>
  new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
