import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { APPROVE_ACTION, DENY_ACTION } from "@/lib/consent/entra-requests";
import { dbPool } from "@/lib/db";
import { appOnlyGraph } from "@/lib/graph/app-only";
import type { GraphSession } from "@/lib/graph/client";
import { listAppConsentRequestsBy, listUserConsentRequestsBy } from "@/lib/graph/consent-requests";
import { listGrantsOfClient } from "@/lib/graph/grants";
import { findServicePrincipalByAppId } from "@/lib/graph/service-principals";

/**
 * The requests a person made on Entra's own "Approval required" screen, as that person sees them in the
 * portal beside the requests made here. Entra keeps the request and its status (InProgress, Expired,
 * Completed); Graph cannot approve or deny (GRAPH.md fact 1), so the portal's own decision events say
 * who decided and why. Read with the portal's app-only token; only the person's own user requests are
 * asked for, and only the app, the decider and the reason are shown — never the other requesters.
 */
export type EntraRequestStatus = "waiting" | "approved" | "denied" | "expired";

export type MyEntraRequest = {
  requestId: string;
  appId: string;
  appName: string;
  reason: string;
  createdAt: Date;
  status: EntraRequestStatus;
  decidedAt: Date | null;
  /** Who decided in the portal; null when Entra decided (a reviewer in Entra's admin center, or the request's expiry). */
  decidedByName: string | null;
  /** The portal's denial reason. */
  denialReason: string | null;
};

type Decision = { kind: "approved" | "denied"; at: Date };

/**
 * Pure: Entra's status together with the portal's decision. A portal denial leaves Entra's request
 * InProgress until it expires, so the denial wins over both. Entra marks a request Completed both when
 * it is approved (granted) and when a reviewer denies it in Entra's admin center, and Graph does not say
 * which: granted for everyone means approved.
 */
export function entraRequestStatus(input: { graphStatus: string | null | undefined; decision: Decision | null; grantedTenantWide: boolean }): EntraRequestStatus {
  if (input.decision?.kind === "denied") return "denied";
  if (input.graphStatus === "Expired") return "expired";
  if (input.graphStatus === "Completed") return input.decision?.kind === "approved" || input.grantedTenantWide ? "approved" : "denied";
  return "waiting";
}

type DecisionRow = { action: string; targetId: string; actorName: string | null; actorUpn: string | null; reason: string | null; occurredAt: Date | string };

/** The portal's decisions on these Entra requests that name this person among the requesters. */
async function portalDecisions(user: Pick<SignedInUser, "oid" | "tid">, requestIds: string[]): Promise<Map<string, DecisionRow>> {
  if (requestIds.length === 0) return new Map();
  // Read on every status page: one plain statement on the pool, not through Prisma, which would compile it each time.
  const { rows } = await dbPool().query<DecisionRow>(
    `SELECT action, "targetId", "actorName", "actorUpn", after->>'reason' AS reason, "occurredAt"
       FROM "AuditEvent"
      WHERE action IN ($1, $2) AND outcome = 'succeeded' AND "tenantId" = $3::uuid AND "targetId" = ANY($4::text[])
        AND after->'requesters' @> $5::jsonb
      ORDER BY seq ASC`,
    [DENY_ACTION, APPROVE_ACTION, user.tid.toLowerCase(), requestIds, JSON.stringify([{ oid: user.oid.toLowerCase() }])],
  );
  // The latest decision on each request counts.
  return new Map(rows.map((row) => [row.targetId, row]));
}

async function grantedForEveryone(graph: GraphSession, appId: string): Promise<boolean> {
  const sp = await findServicePrincipalByAppId(graph.client, appId);
  if (!sp?.id) return false;
  return (await listGrantsOfClient(graph.client, sp.id)).some((grant) => grant.consentType === "AllPrincipals" && (grant.scope ?? "").trim() !== "");
}

/**
 * The person's requests made on Entra's screen, newest first; with `options.appId`, only those for that app
 * (a status page asks about one app: the person's own requests and the portal's decisions are then read
 * for that app's request only, not for every app they ever asked for).
 */
export async function listMyEntraRequests(user: Pick<SignedInUser, "oid" | "tid">, graph: GraphSession = appOnlyGraph(), options: { appId?: string } = {}): Promise<MyEntraRequest[]> {
  const oid = user.oid.toLowerCase();
  const onlyApp = options.appId?.toLowerCase();
  const requests = (await listAppConsentRequestsBy(graph.client, oid)).flatMap((r) => (r.id && r.appId && (!onlyApp || r.appId.toLowerCase() === onlyApp) ? [{ ...r, id: r.id, appId: r.appId }] : []));
  const [decisions, mine] = await Promise.all([
    portalDecisions(user, requests.map((r) => r.id)),
    Promise.all(requests.map(async (r) => ({ request: r, own: await listUserConsentRequestsBy(graph.client, r.id, oid) }))),
  ]);
  const out = await Promise.all(
    mine.flatMap(({ request, own }) =>
      own.map(async (u): Promise<MyEntraRequest> => {
        const row = decisions.get(request.id);
        const decision = row ? { kind: row.action === DENY_ACTION ? ("denied" as const) : ("approved" as const), at: new Date(row.occurredAt) } : null;
        const grantedTenantWide = u.status === "Completed" && !decision ? await grantedForEveryone(graph, request.appId) : false;
        const status = entraRequestStatus({ graphStatus: u.status, decision, grantedTenantWide });
        const decidedAt = decision ? decision.at : u.completedDateTime ? new Date(u.completedDateTime) : null;
        return {
          requestId: request.id,
          appId: request.appId,
          appName: request.appDisplayName ?? request.appId,
          reason: u.reason ?? "",
          createdAt: new Date(u.createdDateTime ?? 0),
          status,
          decidedAt: status === "waiting" || status === "expired" ? null : decidedAt,
          decidedByName: row ? (row.actorName ?? row.actorUpn ?? "an admin") : null,
          denialReason: row?.action === DENY_ACTION ? (row.reason ?? "") : null,
        };
      }),
    ),
  );
  return out.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
