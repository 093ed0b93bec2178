import "server-only";
import { actorFromUser, recordEvent, requestContext } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { recordGrantInBaseline } from "@/lib/baseline/record";
import { heldPermissions } from "@/lib/baseline/merge";
import { findCatalogApp } from "@/lib/catalog";
import { readAppState } from "./app-state";
import { explainConsentError } from "./consent-link";
import { readAsUser } from "./engine/wizard";

/**
 * The one accepted answer of an admin-consent link (its state already checked and used up): re-reads
 * the tenant to show what is granted now, and records the outcome in the audit trail with the request
 * ids of those reads. Nothing in the tenant is changed here (S4): the consent happened at Entra.
 * An accepted consent is an approval given through the portal: what the tenant now grants tenant-wide
 * (delegated for all users, application permissions) is added to the app's approved baseline.
 */
const CONSENT_LINK_JUSTIFICATION = "Accepted on Microsoft's consent screen through the portal's admin consent link";

export async function recordConsentReturn(user: SignedInUser, answer: { appId: string; error?: string; errorDescription?: string }) {
  const app = await findCatalogApp(answer.appId);
  const declined = answer.error ? explainConsentError(answer.error, answer.errorDescription ?? null) : null;
  const { state, requestIds } = await readAsUser(user, async (graph) => ({
    state: await readAppState(graph, answer.appId),
    requestIds: graph.calls.flatMap((call) => (call.requestId ? [call.requestId] : [])),
  }));
  const context = await requestContext();
  await recordEvent({
    actor: actorFromUser(user),
    context,
    action: "adminConsentLink.return",
    target: { type: "app", appId: answer.appId, name: app?.displayName },
    justification: null,
    outcome: declined ? "failed" : "succeeded",
    after: declined
      ? { error: answer.error, description: answer.errorDescription }
      : { tenantWide: state.tenantWide.map((g) => ({ resource: g.resource.displayName, scopes: g.scopes })), appPermissions: state.appPermissions.map((p) => p.value) },
    graphRequestIds: requestIds,
  });
  const baseline = declined
    ? null
    : await readAsUser(user, (graph) =>
        recordGrantInBaseline(
          { graph, actor: actorFromUser(user), request: context, justification: CONSENT_LINK_JUSTIFICATION },
          {
            appId: answer.appId,
            displayName: app?.displayName ?? state.servicePrincipal?.displayName ?? answer.appId,
            // The consent screen grants everything the app's registration asks (.default): what it holds tenant-wide now.
            chosen: heldPermissions({ ...state, userConsents: [] }),
            source: "consent-link",
          },
        ),
      );
  return { app, declined, state, baseline };
}
