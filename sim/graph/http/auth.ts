import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import { forbidden, GraphError } from "../state/errors";
import { expandPermissions, permissionsAllow, roleAllows, type RoleRule } from "../state/roles";
import type { Tenant } from "../state/tenant";
import type { Caller } from "./context";

export const GRAPH_AUDIENCES = ["00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com"];

export interface AuthOptions {
  tenant: Tenant;
  issuer: string;
  keys: JWTVerifyGetKey;
  /**
   * Where a delegated caller's directory roles come from: the token's `wids` claim (default, as the
   * issuer mints them) or the tenant's current role assignments (what real Graph consults).
   */
  roleSource?: "token" | "directory";
}

/**
 * Graph answers every 401 with a Bearer challenge naming where to get a token and for which resource
 * (Microsoft Learn "Claims challenges, claims requests, and client capabilities"; MSAL's
 * WwwAuthenticateParameters reads it): `Bearer realm="", authorization_uri="…/common/oauth2/authorize",
 * client_id="00000003-0000-0000-c000-000000000000"`. Here the authorization endpoint is the simulated
 * issuer's, so a client that follows the challenge signs in to the simulated tenant, not to Microsoft.
 */
export function bearerChallenge(issuer: string): string {
  return `Bearer realm="", authorization_uri="${issuer}/auth", client_id="${GRAPH_AUDIENCES[0]}"`;
}

const unauthorizedFor = (issuer: string) => (message: string) =>
  new GraphError(401, "InvalidAuthenticationToken", message, { "www-authenticate": bearerChallenge(issuer) });

function describe(e: unknown): string {
  if (e instanceof errors.JWTExpired) return "Lifetime validation failed, the token is expired.";
  if (e instanceof errors.JWTClaimValidationFailed) return `Access token validation failure. Invalid ${e.claim === "aud" ? "audience" : e.claim === "iss" ? "issuer" : `claim '${e.claim}'`}.`;
  if (e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey) return "Access token validation failure. Invalid signature.";
  return "Access token validation failure.";
}

const stringArray = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** Validate the bearer token: signature, iss, aud, lifetime, tid; then build the caller. */
export async function authenticate(authorization: string | undefined, opts: AuthOptions): Promise<Caller> {
  const unauthorized = unauthorizedFor(opts.issuer);
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!m?.[1]) throw unauthorized("Access token is empty.");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(m[1], opts.keys, { issuer: opts.issuer, audience: GRAPH_AUDIENCES, requiredClaims: ["exp"] }));
  } catch (e) {
    throw unauthorized(describe(e));
  }
  const tid = payload.tid;
  if (typeof tid !== "string" || tid.toLowerCase() !== opts.tenant.id.toLowerCase()) {
    throw unauthorized("Access token validation failure. The token was issued for a different tenant.");
  }
  const oid = typeof payload.oid === "string" ? payload.oid : "";
  if (typeof payload.scp === "string") {
    const user = opts.tenant.state.users.get(oid);
    if (!user) throw unauthorized("Access token validation failure. The user in the token does not exist in this tenant.");
    const roles = opts.roleSource === "directory" ? opts.tenant.rolesOf(oid) : stringArray(payload.wids);
    const actor = { ...opts.tenant.actorFor(oid), roles };
    return { kind: "user", oid, tid, scopes: expandPermissions(payload.scp.split(" ").filter(Boolean)), roles: new Set(roles), actor };
  }
  const appRoles = stringArray(payload.roles);
  const appId = typeof payload.azp === "string" ? payload.azp : typeof payload.appid === "string" ? payload.appid : "";
  if (appRoles.length === 0 || appId === "") throw unauthorized("Access token validation failure. The token has neither scp nor roles.");
  const sp = opts.tenant.servicePrincipalByAppId(appId);
  return {
    kind: "app", oid, tid, appId, appRoles: expandPermissions(appRoles),
    actor: { kind: "app", appId, displayName: sp?.displayName ?? null, servicePrincipalId: sp?.id ?? (oid || null) },
  };
}

/** What a route needs: any-of alternatives of all-of permissions, and the least Entra role. */
export interface Permission {
  delegated: readonly (readonly string[])[];
  application: readonly (readonly string[])[];
  roles: RoleRule;
}

/**
 * `need("AppRoleAssignment.ReadWrite.All+Application.Read.All | Directory.ReadWrite.All", roles)`:
 * "|" separates alternatives, "+" joins permissions needed together. App-only tokens use the same
 * names unless `application` is given.
 */
export function need(delegated: string, roles: RoleRule, application: string = delegated): Permission {
  const parse = (s: string) => s.split("|").map((alt) => alt.split("+").map((p) => p.trim()).filter(Boolean)).filter((a) => a.length > 0);
  return { delegated: parse(delegated), application: parse(application), roles };
}

export function authorize(caller: Caller, perm: Permission): void {
  if (caller.kind === "user") {
    if (!permissionsAllow(perm.delegated, caller.scopes) || !roleAllows(perm.roles, caller.roles)) throw forbidden();
  } else if (!permissionsAllow(perm.application, caller.appRoles)) {
    throw forbidden();
  }
}
