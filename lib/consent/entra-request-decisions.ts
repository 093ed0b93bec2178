import "server-only";
import { revalidatePath } from "next/cache";
import type { ActionContext } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError, withAudit } from "@/lib/audit";
import { db } from "@/lib/db";
import { getAppConsentRequest } from "@/lib/graph/consent-requests";
import { graphForUser } from "@/lib/graph/session";
import { deliverSoon, enqueueEntraRequestDenied } from "@/lib/notifications";
import { blockApp } from "./block";
import { changeEngine, explainFailure, summarizeSteps, type StepResult } from "./engine";
import { DENY_ACTION, pendingRequesters } from "./entra-requests";

/**
 * Denies an Entra consent request in the portal: Graph cannot deny it (GRAPH.md fact 1), so the reason
 * and the people who asked are kept in the audit trail; the request shows the denial, each requester
 * gets a mail and sees it on their own page, and Entra's request then expires. Nothing changes in the
 * tenant, so this is a portal record (withAudit), not a change-engine step.
 */
export async function denyEntraRequest(input: { requestId: string; appId: string; reason: string }, { user, actor, request }: ActionContext): Promise<ActionResult<null>> {
  try {
    const graph = await graphForUser(user);
    const found = await getAppConsentRequest(graph.client, input.requestId);
    const requesters = await pendingRequesters(graph, input.requestId);
    const appName = found.appDisplayName ?? input.appId;
    const notifications = await withAudit(
      { actor, context: request, action: DENY_ACTION, target: { type: "consentRequest", id: input.requestId, appId: input.appId, name: appName }, before: null, justification: input.reason },
      async () => {
        // Graph has nothing to change: the denial is this audit event, and the mails that tell the requesters.
        const ids = await db().$transaction((tx) =>
          enqueueEntraRequestDenied(tx, { appId: input.appId, appName, requesters, reason: input.reason, decidedByName: actor.name, decidedAt: new Date() }, actor),
        );
        return {
          result: ids,
          after: { reason: input.reason, requesters, notifications: ids },
          outcome: "succeeded",
          graphRequestIds: graph.calls.flatMap((call) => (call.requestId ? [call.requestId] : [])),
        };
      },
    );
    deliverSoon(notifications);
    revalidatePath("/admin/entra-requests");
    return { ok: true, message: "Denied. The reason is recorded in the audit trail, shown with the request, and sent to the requesters (also on their own pages).", data: null };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} The request was not denied.`);
  }
}

/** Entra's "Block": the app's service principal exists with sign-in disabled. */
export async function blockEntraRequestApp(input: { requestId: string; appId: string }, { user, actor, request }: ActionContext): Promise<ActionResult<StepResult[]>> {
  try {
    const graph = await graphForUser(user);
    const found = await getAppConsentRequest(graph.client, input.requestId);
    const steps = await blockApp({ graph, actor, request, appId: input.appId, justification: "Blocked from Entra's consent requests", engine: changeEngine() }, found.appDisplayName ?? input.appId);
    revalidatePath("/admin/entra-requests");
    return { ok: true, message: summarizeSteps(steps, { done: "Blocked: nobody can sign in to the app or consent to it.", unchanged: "Already blocked: sign-in to the app was disabled." }), data: steps };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
}
