import "server-only";
import { auditSql } from "@/lib/audit";
import { listEvents } from "@/lib/audit/query";
import type { GraphSession } from "@/lib/graph/client";
import { listAll } from "@/lib/graph/paging";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { readAppState } from "./app-state";

/**
 * Entra's own admin consent requests (made from the sign-in "Approval required" form). Graph can only
 * list them (GRAPH.md fact 1): the portal approves by granting exactly the requested scopes and keeps
 * its denials in the audit trail.
 */

type RawRequest = { id: string; appId: string; appDisplayName: string; pendingScopes?: { displayName: string }[] };
type RawUserRequest = {
  id: string;
  status: string;
  reason: string | null;
  createdDateTime: string;
  createdBy?: { user?: { id?: string | null; displayName?: string | null; userPrincipalName?: string | null } };
};

export const DENY_ACTION = "entraConsentRequest.deny";

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

const BASE = "/identityGovernance/appConsent/appConsentRequests";

/** Who asked, as a denial records them: the oid is what lets each requester find the decision later. */
export type EntraRequester = { oid: string; upn: string; name: string };

/** The people still waiting on an Entra request (its InProgress user requests). */
export async function pendingRequesters(graph: GraphSession, requestId: string): Promise<EntraRequester[]> {
  const userRequests = await listAll<RawUserRequest>(graph.client, `${BASE}/${requestId}/userConsentRequests?$filter=status eq 'InProgress'`);
  return userRequests.flatMap((u) => {
    const who = u.createdBy?.user;
    return who?.id ? [{ oid: who.id.toLowerCase(), upn: who.userPrincipalName ?? "", name: who.displayName ?? "" }] : [];
  });
}

export async function listEntraRequests(graph: GraphSession, options: { mineOnly: boolean }): Promise<EntraRequest[]> {
  const path = options.mineOnly
    ? `${BASE}/filterByCurrentUser(on='reviewer')?$filter=userConsentRequests/any(u:u/status eq 'InProgress')`
    : `${BASE}?$filter=userConsentRequests/any(u:u/status eq 'InProgress')`;
  const requests = await listAll<RawRequest>(graph.client, path);
  return Promise.all(
    requests.map(async (request) => {
      const userRequests = await listAll<RawUserRequest>(graph.client, `${BASE}/${request.id}/userConsentRequests?$filter=status eq 'InProgress'`);
      const scopes = (request.pendingScopes ?? []).map((scope) => scope.displayName);
      const state = await readAppState(graph, request.appId);
      const granted = new Set(state.tenantWide.filter((g) => g.resource.appId === MICROSOFT_GRAPH_APP_ID).flatMap((g) => g.scopes.map((s) => s.toLowerCase())));
      const denial = (await listEvents(auditSql(), { action: DENY_ACTION, app: request.appId, outcome: "succeeded" }, { limit: 20 })).events.find((event) => event.targetId === request.id);
      return {
        id: request.id,
        appId: request.appId,
        appName: request.appDisplayName,
        scopes,
        requesters: userRequests.map((u) => ({
          name: u.createdBy?.user?.displayName ?? "Unknown user",
          upn: u.createdBy?.user?.userPrincipalName ?? "",
          reason: u.reason ?? "",
          createdAt: u.createdDateTime,
        })),
        approved: scopes.length > 0 && scopes.every((scope) => granted.has(scope.toLowerCase())),
        denial: denial ? { by: denial.actorName ?? denial.actorUpn ?? "an admin", reason: (denial.after as { reason?: string } | null)?.reason ?? "", at: denial.occurredAt.toISOString() } : null,
      };
    }),
  );
}
