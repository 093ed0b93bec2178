import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { JWTVerifyGetKey } from "jose";
import { badRequest, GraphError } from "./state/errors";
import { newGuid } from "./state/ids";
import type { Tenant, TenantSnapshot } from "./state/tenant";
import { authenticate } from "./http/auth";
import { runBatch } from "./http/batch";
import { GraphRequestCounter, handleControl } from "./http/control";
import { dispatch } from "./http/dispatch";
import { FaultInjector } from "./http/faults";
import { errorResult, send } from "./http/respond";

export interface GraphHandlerOptions {
  tenant: Tenant;
  /** the simulated issuer, e.g. "https://127.0.0.1:4000/<tenant-id>/v2.0" — tokens must carry exactly this iss */
  issuer: string;
  /** verification keys, e.g. jose.createLocalJWKSet(issuerJwks) */
  keys: JWTVerifyGetKey;
  /** shared secret for /_sim/* (header x-sim-control); without one /_sim/* does not exist */
  controlSecret?: string;
  /** delegated callers' roles from the token's wids (default) or the tenant's role assignments */
  roleSource?: "token" | "directory";
  /** supply one to share fault state with other code; otherwise the handler makes its own */
  faults?: FaultInjector;
  log?: (msg: string) => void;
}

export type GraphHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { readonly faults: FaultInjector };

const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new GraphError(413, "Request_EntityTooLarge", "The request body is too large.");
    chunks.push(b);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", "BadRequest");
  }
}

export function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw badRequest(`Malformed URL path '${p}'.`, "BadRequest");
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The simulated Microsoft Graph as a plain node:http(s) request handler. Paths are /v1.0/… and
 * /beta/…; TLS is the caller's business (serve it with https.createServer for the Graph SDK).
 */
export function createGraphHandler(opts: GraphHandlerOptions): GraphHandler {
  const faults = opts.faults ?? new FaultInjector();
  const snapshots = new Map<string, TenantSnapshot>();
  const requests = new GraphRequestCounter();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newGuid();
    const clientRequestId = header(req, "client-request-id") ?? requestId;
    try {
      const proto = (req.socket as Partial<TLSSocket>).encrypted ? "https" : "http";
      const baseUrl = `${proto}://${header(req, "host") ?? "127.0.0.1"}`;
      const url = new URL(req.url ?? "/", baseUrl);
      const path = safeDecode(url.pathname);
      const method = (req.method ?? "GET").toUpperCase();
      const body = await readJson(req);

      if (path === "/_sim" || path.startsWith("/_sim/")) {
        send(res, handleControl({ tenant: opts.tenant, faults, secret: opts.controlSecret, snapshots, requests }, method, path, header(req, "x-sim-control"), body), requestId, clientRequestId);
        return;
      }
      const version = /^\/(v1\.0|beta)(\/.*)?$/i.exec(path);
      if (!version) throw badRequest("Invalid version: use /v1.0 or /beta.", "BadRequest");
      const caller = await authenticate(header(req, "authorization"), { tenant: opts.tenant, issuer: opts.issuer, keys: opts.keys, roleSource: opts.roleSource });
      if (faults.config.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.config.latencyMs));

      const base = {
        tenant: opts.tenant, caller, version: (version[1]?.toLowerCase() === "beta" ? "beta" : "v1.0") as "v1.0" | "beta", baseUrl,
        visible: faults.visibility(opts.tenant), hideFromLists: faults.config.replicationAffectsLists,
      };
      const rest = version[2] ?? "/";
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      const common = { base, faults, requestId, clientRequestId, log: opts.log, requests };
      if (/^\/\$batch\/?$/i.test(rest)) {
        if (method !== "POST") throw new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
        const envelopeFault = faults.check(method, `/${base.version}/$batch`, opts.tenant.nowMs(), true);
        if (envelopeFault) throw envelopeFault;
        send(res, runBatch(common, body), requestId, clientRequestId);
        return;
      }
      send(res, dispatch({ ...common, method, path: rest, query: url.searchParams, headers, body }), requestId, clientRequestId);
    } catch (e) {
      send(res, errorResult(e, requestId, clientRequestId, opts.log), requestId, clientRequestId);
    }
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      opts.log?.(`graph simulator: response failed ${String(e)}`);
      if (!res.headersSent) res.destroy();
    });
  };
  return Object.assign(handler, { faults });
}
