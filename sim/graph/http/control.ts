import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { badRequest, forbidden, GraphError, notFound } from "../state/errors";
import { withdrawGroupConsentTemplate } from "../state/policy-ops";
import type { Tenant, TenantSnapshot } from "../state/tenant";
import type { RouteResult } from "./context";
import { faultConfigSchema, type FaultInjector } from "./faults";

export interface ControlDeps {
  tenant: Tenant;
  faults: FaultInjector;
  secret: string | undefined;
  snapshots: Map<string, TenantSnapshot>;
  requests?: GraphRequestCounter;
}

/**
 * Graph calls answered since the simulator started (each $batch part on its own), reads apart from
 * writes: a test can prove that something changed nothing in the tenant, not even a refused write
 * attempt, by reading GET /_sim/requests before and after. Not reset by /_sim/reset.
 */
export class GraphRequestCounter {
  reads = 0;
  writes = 0;

  count(method: string): void {
    if (method === "GET" || method === "HEAD") this.reads += 1;
    else this.writes += 1;
  }
}

function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const named = z.object({ name: z.string().min(1).default("default") });

/**
 * /_sim/*: simulator control (faults, reset, snapshots, tenant variants, the clock, Entra-side consent
 * request actions, a state summary). Not part of Graph; needs
 * the shared secret in `x-sim-control`, and does not exist at all when no secret was configured.
 */
export function handleControl(deps: ControlDeps, method: string, path: string, header: string | undefined, body: unknown): RouteResult {
  if (deps.secret === undefined || deps.secret === "") throw notFound(path);
  if (!secretMatches(deps.secret, header)) throw forbidden();
  const { tenant, faults } = deps;
  const key = `${method} ${path.replace(/\/+$/, "")}`;
  switch (key) {
    case "GET /_sim/faults":
      return { status: 200, body: { faults: faults.config } };
    case "POST /_sim/faults": {
      const parsed = faultConfigSchema.safeParse(body ?? {});
      if (!parsed.success) throw badRequest(`Invalid fault config: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      return { status: 200, body: { faults: faults.set(parsed.data) } };
    }
    case "DELETE /_sim/faults":
      faults.clear();
      return { status: 204 };
    case "POST /_sim/reset":
      tenant.reset();
      return { status: 204 };
    case "POST /_sim/snapshot": {
      const { name } = named.parse(body ?? {});
      deps.snapshots.set(name, tenant.snapshot());
      return { status: 200, body: { name } };
    }
    case "POST /_sim/restore": {
      const { name } = named.parse(body ?? {});
      const snap = deps.snapshots.get(name);
      if (!snap) throw notFound(`snapshot '${name}'`);
      tenant.restore(snap);
      return { status: 204 };
    }
    case "POST /_sim/consent-requests": {
      // Entra creates these only from the sign-in "Approval required" form; tests need a way in.
      const b = z.object({ userId: z.string(), appId: z.string(), reason: z.string() }).safeParse(body);
      if (!b.success) throw badRequest("Expected { userId, appId, reason }.");
      const r = tenant.createConsentRequest(b.data.userId, b.data.appId, b.data.reason);
      return { status: r.created ? 201 : 200, body: r };
    }
    case "POST /_sim/consent-requests/deny": {
      // A reviewer's "Deny" in Entra's admin center: Graph cannot do it (GRAPH.md fact 1), tests and demos can.
      const b = z.object({ requestId: z.string(), reviewerId: z.string(), justification: z.string().max(1000) }).safeParse(body);
      if (!b.success) throw badRequest("Expected { requestId, reviewerId, justification }.");
      return { status: 200, body: { deniedUserConsentRequestIds: tenant.denyConsentRequest(b.data.requestId, b.data.reviewerId, b.data.justification) } };
    }
    case "POST /_sim/clock": {
      // Lets a test live through a consent request's requestDurationInDays; /_sim/reset puts the clock back.
      const b = z.object({ advanceDays: z.number().min(0).max(366).default(0), advanceMs: z.number().int().min(0).max(366 * 86_400_000).default(0) }).strict().safeParse(body ?? {});
      if (!b.success) throw badRequest("Expected { advanceDays?, advanceMs? } (forward only).");
      tenant.advanceClock(b.data.advanceDays * 86_400_000 + b.data.advanceMs);
      tenant.settleConsentRequests();
      return { status: 200, body: { now: tenant.nowIso() } };
    }
    case "POST /_sim/withdraw-group-consent-template":
      // Newer tenants have neither the group consent setting nor its template; /_sim/reset brings both back.
      withdrawGroupConsentTemplate(tenant);
      return { status: 204 };
    case "GET /_sim/state":
      return { status: 200, body: summary(tenant, faults) };
    case "GET /_sim/requests":
      return { status: 200, body: { reads: deps.requests?.reads ?? 0, writes: deps.requests?.writes ?? 0 } };
    default:
      throw new GraphError(404, "Request_ResourceNotFound", `No simulator control endpoint '${key}'.`);
  }
}

function summary(t: Tenant, faults: FaultInjector) {
  const s = t.state;
  return {
    tenantId: t.id,
    now: t.nowIso(),
    counts: {
      users: s.users.size, groups: s.groups.size, servicePrincipals: s.servicePrincipals.size, oauth2PermissionGrants: s.grants.size,
      appRoleAssignments: s.appRoleAssignments.size, appConsentRequests: s.appConsentRequests.size,
      directoryAudits: s.directoryAudits.length, signIns: s.signIns.length,
    },
    permissionGrantPoliciesAssigned: s.authorizationPolicy.defaultUserRolePermissions.permissionGrantPoliciesAssigned,
    adminConsentRequestPolicy: { isEnabled: s.adminConsentRequestPolicy.isEnabled, reviewers: s.adminConsentRequestPolicy.reviewers.length },
    groupConsentTemplateAvailable: s.groupConsentTemplateAvailable,
    faults: faults.config,
  };
}
