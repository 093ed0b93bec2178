"use server";

import { revalidatePath } from "next/cache";
import { AuditUnavailableError, withAudit } from "@/lib/audit";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { blockApp } from "@/lib/consent/block";
import { DENY_ACTION, pendingRequesters } from "@/lib/consent/entra-requests";
import { explainFailure, summarizeSteps, type StepResult } from "@/lib/consent/engine";
import { db } from "@/lib/db";
import { graphForUser } from "@/lib/graph/session";
import { deliverSoon, enqueueEntraRequestDenied } from "@/lib/notifications";
import { blockAppSchema, denyEntraRequestSchema } from "@/lib/validations/entra-requests";

type AppRequest = { appDisplayName?: string };

/**
 * Denies an Entra consent request in the portal: Graph cannot deny it (GRAPH.md fact 1), so the reason
 * and the people who asked are kept in the audit trail; the request shows the denial, each requester
 * gets a mail and sees it on their own page, and Entra's request then expires.
 */
export const denyEntraRequestAction = authorizedAction(["admin"], denyEntraRequestSchema, async (input, { user, actor, request }): Promise<ActionResult<null>> => {
  try {
    const graph = await graphForUser(user);
    const found: AppRequest = await graph.client.api(`/identityGovernance/appConsent/appConsentRequests/${input.requestId}`).get();
    const requesters = await pendingRequesters(graph, input.requestId);
    const appName = found.appDisplayName ?? input.appId;
    const notifications = await withAudit(
      {
        actor,
        context: request,
        action: DENY_ACTION,
        target: { type: "consentRequest", id: input.requestId, appId: input.appId, name: found.appDisplayName },
        before: null,
        justification: input.reason,
      },
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
});

/** Entra's "Block": the app's service principal exists with sign-in disabled. */
export const blockAppAction = authorizedAction(["admin"], blockAppSchema, async (input, { user, actor, request }): Promise<ActionResult<StepResult[]>> => {
  try {
    const graph = await graphForUser(user);
    const found: AppRequest = await graph.client.api(`/identityGovernance/appConsent/appConsentRequests/${input.requestId}`).get();
    const steps = await blockApp({ graph, actor, request, appId: input.appId, justification: "Blocked from Entra's consent requests" }, found.appDisplayName ?? input.appId);
    revalidatePath("/admin/entra-requests");
    return { ok: true, message: summarizeSteps(steps, { done: "Blocked: nobody can sign in to the app or consent to it.", unchanged: "Already blocked: sign-in to the app was disabled." }), data: steps };
  } catch (error) {
    if (error instanceof AuditUnavailableError) return refused(error.message);
    return refused(`${explainFailure(error)} Nothing further was changed.`);
  }
});
