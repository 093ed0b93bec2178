import "server-only";
import { withAudit, type AuditActor, type AuditRequestContext } from "@/lib/audit";
import { getAppConsentRequest } from "@/lib/graph/consent-requests";
import { isGraphStatus } from "@/lib/graph/errors";
import type { GraphSession } from "@/lib/graph/client";
import { MICROSOFT_GRAPH_APP_ID } from "@/lib/permissions";
import { decideRequest, findRequest } from "@/lib/self-service/requests";
import { notCoveredTenantWide, type RequestedPermissions } from "@/lib/self-service/status";
import { readAppState } from "../app-state";
import { APPROVE_ACTION, pendingRequesters } from "../entra-requests";
import { refuse, type Refusal } from "../engine/wizard";
import type { StepResult } from "../engine";

/**
 * Approving a request is granting what it asked (GRAPH.md fact 1). When the grant wizard runs for a
 * request — the portal's own or one of Entra's — it carries the request's id, so the grant's audit rows
 * name the request, the requesters and their justification, and once the tenant, read back, holds
 * everything asked for everyone, the request is marked approved in the same action: a decision event
 * of its own (the portal's request: its row, and the requester is told; Entra's: Entra completes it).
 */
export type Requester = { oid: string; upn: string; name: string; justification: string };
export type ApprovingRequest = {
  kind: "portal" | "entra";
  id: string;
  appId: string;
  requesters: Requester[];
  /** What the request asked for: what must hold tenant-wide before it counts as approved. */
  asked: RequestedPermissions;
};

/** The request being approved, as it stands now; a refusal when it cannot be approved (gone, decided, another app). */
export async function loadApprovingRequest(graph: GraphSession, appId: string, ids: { requestId?: string; entraRequestId?: string }): Promise<ApprovingRequest | Refusal | null> {
  if (ids.requestId) {
    const request = await findRequest(ids.requestId);
    if (!request || request.appId !== appId) return refuse("That approval request is not one for this app.");
    if (request.status !== "open") return refuse(`That approval request was already ${request.status}.`);
    return {
      kind: "portal", id: request.id, appId,
      requesters: [{ oid: request.requesterOid, upn: request.requesterUpn, name: request.requesterName, justification: request.justification }],
      asked: request.permissions,
    };
  }
  if (ids.entraRequestId) {
    try {
      const found = await getAppConsentRequest(graph.client, ids.entraRequestId);
      if (found.appId?.toLowerCase() !== appId) return refuse("That Entra request is not one for this app.");
      const requesters = await pendingRequesters(graph, ids.entraRequestId);
      if (requesters.length === 0) return refuse("Nobody is waiting on that Entra request any more: it was approved, denied or it expired.");
      const scopes = (found.pendingScopes ?? []).flatMap((scope) => (scope.displayName ? [scope.displayName] : []));
      return { kind: "entra", id: ids.entraRequestId, appId, requesters, asked: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, scopes, appRoles: [] }] };
    } catch (error) {
      if (isGraphStatus(error, 404)) return refuse("That Entra request does not exist.");
      throw error;
    }
  }
  return null;
}

/** Who asked and why, for the grant's audit rows' justification: the admin's words first, then the request's. */
export function justificationWithRequest(adminWords: string, request: ApprovingRequest): string {
  const who = request.requesters.map((r) => `${r.name} (${r.upn}): “${r.justification}”`).join("; ");
  const kind = request.kind === "portal" ? "approval request" : "Entra consent request";
  return `${adminWords} — approving ${kind} ${request.id} of ${who}`;
}

const names = (request: ApprovingRequest) => request.requesters.map((r) => r.name).join(", ");

/**
 * After the grant: marks the request approved when every step held and the tenant, read back now,
 * grants everything it asked for everyone. Otherwise it stays open, and the step says why.
 */
export async function settleApprovedRequest(
  context: { graph: GraphSession; actor: AuditActor; request: AuditRequestContext },
  approving: ApprovingRequest,
  appName: string,
  steps: StepResult[],
): Promise<StepResult> {
  const label = `${approving.kind === "portal" ? "Approval request" : "Entra consent request"} of ${names(approving)}`;
  if (steps.some((step) => step.status !== "done" && step.status !== "unchanged")) {
    return { label, status: "blocked", detail: "Not marked approved: the grant did not complete, so the request stays open." };
  }
  const state = await readAppState(context.graph, approving.appId);
  const missing = notCoveredTenantWide(
    approving.asked,
    state.tenantWide.map((g) => ({ resourceAppId: g.resource.appId, scopes: g.scopes })),
    state.appPermissions.map((p) => ({ resourceAppId: p.resource.appId, value: p.value })),
  );
  const graphRequestIds = context.graph.calls.flatMap((call) => (call.requestId ? [call.requestId] : []));
  if (missing.length > 0) {
    return { label, status: "blocked", detail: `Not marked approved: still not granted for everyone: ${missing.map((m) => m.split("|")[1]).join(", ")}. The request stays open.` };
  }
  if (approving.kind === "portal") {
    const request = await findRequest(approving.id);
    if (!request) return { label, status: "blocked", detail: "The request no longer exists." };
    const changed = await decideRequest(context, request, { status: "approved", reason: null, grantCheck: { tenantWideCovers: true, graphRequestIds } });
    return changed
      ? { label, status: "done", detail: `Marked approved: the tenant grants everything asked for everyone. ${names(approving)} is told by mail and on their own page.` }
      : { label, status: "unchanged", detail: "Someone else decided this request in the meantime." };
  }
  await withAudit(
    {
      actor: context.actor, context: context.request, action: APPROVE_ACTION,
      target: { type: "consentRequest", id: approving.id, appId: approving.appId, name: appName }, before: { status: "InProgress" }, justification: null,
    },
    async () => ({
      result: undefined,
      after: { requestId: approving.id, status: "approved", requesters: approving.requesters, asked: approving.asked, grantCheck: { tenantWideCovers: true } },
      outcome: "succeeded",
      graphRequestIds,
    }),
  );
  return { label, status: "done", detail: `Approved: the tenant grants everything asked for everyone, so Entra completes the request and tells ${names(approving)}.` };
}
