import { AuthenticationHandler, Client, HTTPMessageHandler } from "@microsoft/microsoft-graph-client";
import { RetryAndRecordMiddleware, type GraphCallRecord } from "./middleware";
import { DEFAULT_RETRY, type RetryOptions } from "./retry-policy";

export type GraphSession = {
  client: Client;
  /** Every call made through `client`, in order, with Graph's request-id: for result pages and the audit trail. */
  calls: GraphCallRecord[];
  retry: RetryOptions;
};

/**
 * A Microsoft Graph client for one unit of work (a page load, a wizard run): real Graph or the
 * simulator, whichever `baseUrl` names. The bearer token comes from `getAccessToken` on every call.
 */
export function createGraphClient(options: { baseUrl: string; getAccessToken: () => Promise<string>; retry?: RetryOptions }): GraphSession {
  const calls: GraphCallRecord[] = [];
  const retry = options.retry ?? DEFAULT_RETRY;
  const authentication = new AuthenticationHandler({ getAccessToken: options.getAccessToken });
  const retryAndRecord = new RetryAndRecordMiddleware(calls, retry);
  authentication.setNext(retryAndRecord);
  retryAndRecord.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({
    middleware: authentication,
    baseUrl: options.baseUrl.replace(/\/$/, ""),
    // The SDK attaches the bearer token only to hosts it knows; the host name alone, without the port.
    customHosts: new Set([new URL(options.baseUrl).hostname]),
  });
  return { client, calls, retry };
}
