import type { z } from "zod";
import { badRequest, notFound } from "../state/errors";
import type { ServicePrincipal } from "../state/types";
import type { Permission } from "../http/auth";
import type { RequestCtx, RouteResult } from "../http/context";

export interface Route {
  method: string;
  /** the path as written, e.g. "/servicePrincipals{sp}/appRoleAssignedTo/{id}": names the segment that failed to resolve */
  template: string;
  pattern: RegExp;
  perm: Permission;
  versions: readonly ("v1.0" | "beta")[];
  handle: (ctx: RequestCtx, params: Readonly<Record<string, string>>) => RouteResult;
}

/**
 * `{sp}` matches `/{id}` or `(appId='…')` (Graph's alternate key); `{name}` matches one segment.
 * Graph paths are case-insensitive.
 */
export function route(method: string, template: string, perm: Permission, handle: Route["handle"], versions: Route["versions"] = ["v1.0", "beta"]): Route {
  const escape = (lit: string) => lit.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  const src = template
    .split(/(\{\w+\})/)
    .map((part) => {
      if (part === "{sp}") return "(?:/(?<sp>[^/(]+)|\\(appId='(?<spAppId>[^']*)'\\))";
      const m = /^\{(\w+)\}$/.exec(part);
      return m ? `(?<${m[1]}>[^/]+)` : escape(part);
    })
    .join("");
  return { method, template, pattern: new RegExp(`^${src}/?$`, "i"), perm, versions, handle };
}

const escapeRe = (lit: string) => lit.replace(/[.*+?^$()|[\]\\]/g, "\\$&");

/** A template's segments as matchers, once per spelling of `{sp}` (`/{id}` or `(appId='…')`). */
function segmentMatchers(template: string): RegExp[][] {
  return [template.replace("{sp}", "/{sp}"), template.replace("{sp}", "(appId='{spAppId}')")].map((t) =>
    t.split("/").filter(Boolean).map((seg) =>
      new RegExp(`^${seg.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? "[^/]+" : escapeRe(part))).join("")}$`, "i")));
}

/**
 * The first segment of `path` that no route resolves, as Graph names it in "Resource not found for the
 * segment '…'": `/servicePrincipals/{id}/owners` fails on 'owners', not on 'servicePrincipals'.
 */
export function unresolvedSegment(path: string, routes: readonly Route[], version: Route["versions"][number]): string {
  const segments = path.split("/").filter(Boolean);
  let resolved = 0;
  for (const r of routes) {
    if (!r.versions.includes(version)) continue;
    for (const matchers of segmentMatchers(r.template)) {
      let n = 0;
      while (n < segments.length && n < matchers.length && matchers[n]!.test(segments[n]!)) n++;
      resolved = Math.max(resolved, n);
    }
  }
  return segments[Math.min(resolved, segments.length - 1)] ?? "";
}

export function parseBody<T extends z.ZodType>(ctx: RequestCtx, schema: T): z.output<T> {
  if (ctx.body === undefined) throw badRequest("Empty Payload. JSON content expected.");
  const r = schema.safeParse(ctx.body);
  if (!r.success) {
    const first = r.error.issues[0];
    const where = first?.path.length ? `property '${first.path.join(".")}'` : "the request body";
    throw badRequest(`Invalid value for ${where}: ${first?.message ?? "invalid"}.`);
  }
  return r.data;
}

/** Resolve `{sp}`: by object id or appId, honouring simulated replication delay. */
export function spFrom(ctx: RequestCtx, params: Readonly<Record<string, string>>): ServicePrincipal {
  const byAppId = params.spAppId;
  const s = byAppId !== undefined ? ctx.tenant.servicePrincipalByAppId(byAppId) : ctx.tenant.servicePrincipal(params.sp ?? "");
  const key = byAppId !== undefined ? `appId='${byAppId}'` : (params.sp ?? "");
  if (!s || !ctx.visible(s.id)) throw notFound(key);
  return s;
}

/** An object referenced in a request body must exist and be replicated (else 404, retryable). */
export function mustSee(ctx: RequestCtx, id: string, exists: boolean): void {
  if (!exists || !ctx.visible(id)) throw notFound(id);
}

export const noContent = (): RouteResult => ({ status: 204 });
