import "server-only";
import { auditSql } from "@/lib/audit";
import { listEvents } from "@/lib/audit/query";
import type { GraphSession } from "@/lib/graph/client";
import { listPendingAppConsentRequests, listPendingUserConsentRequests } from "@/lib/graph/consent-requests";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { readAppState } from "./app-state";

/**
 * Entra's own admin consent requests (made from the sign-in "Approval required" form). Graph can only
 * list them (GRAPH.md fact 1): the portal approves by granting exactly the requested scopes and keeps
 * its denials in the audit trail.
 */

export const DENY_ACTION = "entraConsentRequest.deny";
/** The portal approved an Entra request by granting everything it asked for tenant-wide (read back). */
export const APPROVE_ACTION = "entraConsentRequest.approve";

export type EntraRequest = {
  id: string;
  appId: string;
  appName: string;
  scopes: string[];
  requesters: { name: string; upn: string; reason: string; createdAt: string }[];
  /** Granted tenant-wide already: the portal counts the request as approved. */
  approved: boolean;
  denial: { by: string; reason: string; at: string } | null;
};

/** Who asked and why, as a decision records them: the oid is what lets each requester find the decision later. */
export type EntraRequester = { oid: string; upn: string; name: string; justification: string };

/** The people still waiting on an Entra request (its InProgress user requests). */
export async function pendingRequesters(graph: GraphSession, requestId: string): Promise<EntraRequester[]> {
  const userRequests = await listPendingUserConsentRequests(graph.client, requestId);
  return userRequests.flatMap((u) => {
    const who = u.createdBy?.user;
    return who?.id ? [{ oid: who.id.toLowerCase(), upn: who.userPrincipalName ?? "", name: who.displayName ?? "", justification: u.reason ?? "" }] : [];
  });
}

export async function listEntraRequests(graph: GraphSession, options: { mineOnly: boolean }): Promise<EntraRequest[]> {
  const requests = (await listPendingAppConsentRequests(graph.client, options)).flatMap((r) => (r.id && r.appId ? [{ ...r, id: r.id, appId: r.appId }] : []));
  return Promise.all(
    requests.map(async (request) => {
      const userRequests = await listPendingUserConsentRequests(graph.client, request.id);
      const scopes = (request.pendingScopes ?? []).flatMap((scope) => (scope.displayName ? [scope.displayName] : []));
      const state = await readAppState(graph, request.appId);
      const granted = new Set(state.tenantWide.filter((g) => g.resource.appId === MICROSOFT_GRAPH_APP_ID).flatMap((g) => g.scopes.map((s) => s.toLowerCase())));
      // A denial answers the people it named: someone who asked since (Entra adds them to the same
      // request) is still waiting, so the request is pending again for them.
      const waiting = userRequests.flatMap((u) => (u.createdBy?.user?.id ? [u.createdBy.user.id.toLowerCase()] : []));
      const denial = (await listEvents(auditSql(), { action: DENY_ACTION, app: request.appId, outcome: "succeeded" }, { limit: 20 })).events.find((event) => {
        if (event.targetId !== request.id) return false;
        const named = new Set(((event.after as { requesters?: { oid?: string }[] } | null)?.requesters ?? []).map((r) => r.oid?.toLowerCase()));
        return waiting.every((oid) => named.has(oid));
      });
      return {
        id: request.id,
        appId: request.appId,
        appName: request.appDisplayName ?? request.appId,
        scopes,
        requesters: userRequests.map((u) => ({
          name: u.createdBy?.user?.displayName ?? "Unknown user",
          upn: u.createdBy?.user?.userPrincipalName ?? "",
          reason: u.reason ?? "",
          createdAt: u.createdDateTime ?? "",
        })),
        approved: scopes.length > 0 && scopes.every((scope) => granted.has(scope.toLowerCase())),
        denial: denial ? { by: denial.actorName ?? denial.actorUpn ?? "an admin", reason: (denial.after as { reason?: string } | null)?.reason ?? "", at: denial.occurredAt.toISOString() } : null,
      };
    }),
  );
}
