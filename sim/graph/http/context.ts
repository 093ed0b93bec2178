import type { Tenant } from "../state/tenant";
import type { Actor } from "../state/types";

/** The authenticated caller, from a validated access token. */
export type Caller =
  | { kind: "user"; oid: string; tid: string; scopes: ReadonlySet<string>; roles: ReadonlySet<string>; actor: Actor }
  | { kind: "app"; oid: string; tid: string; appId: string; appRoles: ReadonlySet<string>; actor: Actor };

export interface RequestCtx {
  tenant: Tenant;
  caller: Caller;
  version: "v1.0" | "beta";
  method: string;
  /** path after the version prefix, e.g. "/servicePrincipals/123" */
  path: string;
  query: URLSearchParams;
  headers: Readonly<Record<string, string | undefined>>;
  body: unknown;
  /** "https://127.0.0.1:1234": nextLinks must point back at the same host */
  baseUrl: string;
  /** false while a just-created object is still "replicating" (fault injection) */
  visible: (id: string) => boolean;
  /** whether list results also hide not-yet-replicated objects */
  hideFromLists: boolean;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
