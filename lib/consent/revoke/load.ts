import "server-only";
import type { KnownApp } from "@/lib/catalog";
import { findKnownApp } from "@/lib/catalog/known-app";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import { listSignInsOfApp } from "@/lib/graph/audit-logs";
import type { GraphSession } from "@/lib/graph/client";
import { isGraphStatus } from "@/lib/graph/errors";
import { readUserConsentPolicies } from "@/lib/graph/policies";
import { listPermissionClassifications, readDelegatedScopesOf } from "@/lib/graph/service-principals";
import type { PublishedScope } from "@/lib/self-service/status";
import { readAppState, type AppState } from "../app-state";
import { couldConsentAgain, type ConsentAgain } from "../could-consent-again";
import { refuse, type Refusal, type WizardReadContext } from "../engine/wizard";
import { planRevoke, type AppSignIn, type RevokePlan } from "./plan";
import { revokeSelectionFrom, type RevokeInput } from "./schema";

/** `app`: the catalog's entry, or the app as its service principal in the tenant describes it (revoking needs no catalog). */
export type RevokeWizardPlan = { app: KnownApp; plan: RevokePlan };

/** Entra keeps sign-ins for 30 days: the portal looks back as far as there is anything to see. */
const SIGN_IN_LOOKBACK_DAYS = 30;

async function publishedScopes(graph: GraphSession, resourceAppId: string): Promise<PublishedScope[]> {
  try {
    const [{ scopes }, classifications] = await Promise.all([readDelegatedScopesOf(graph.client, resourceAppId), listPermissionClassifications(graph.client, resourceAppId)]);
    const low = new Set(classifications.filter((c) => c.classification === "low").map((c) => (c.permissionId ?? "").toLowerCase()));
    return scopes.flatMap((s) => (s.value && s.id ? [{ value: s.value, adminOnly: s.type === "Admin", lowImpact: low.has(s.id.toLowerCase()) }] : []));
  } catch (error) {
    if (isGraphStatus(error, 404)) return [];
    throw error;
  }
}

/**
 * Whether users could consent to the app again once it is deleted, under the tenant's user consent
 * setting and classifications as they are now. What the app asks for: the catalog's list (else what
 * it holds today).
 */
export async function readConsentAgain(graph: GraphSession, app: KnownApp, state: AppState): Promise<ConsentAgain> {
  const requested = new Map<string, Set<string>>();
  const add = (api: string, scopes: string[]) => {
    const key = api.toLowerCase();
    const set = requested.get(key) ?? new Set<string>();
    for (const scope of scopes) if (![...set].some((s) => s.toLowerCase() === scope.toLowerCase())) set.add(scope);
    requested.set(key, set);
  };
  for (const api of app.permissions) add(api.resourceAppId, api.scopes);
  // What users are asked at sign-in is what the app requests; only when the catalog does not know it do its grants stand in.
  if (![...requested.values()].some((scopes) => scopes.size > 0)) for (const grant of [...state.tenantWide, ...state.userConsents]) add(grant.resource.appId, grant.scopes);
  const apis = [...requested.keys()].filter((api) => (requested.get(api)?.size ?? 0) > 0);
  const [userConsentPolicies, published] = await Promise.all([
    readUserConsentPolicies(graph.client),
    Promise.all(apis.map(async (api) => [api, await publishedScopes(graph, api)] as const)).then((entries) => Object.fromEntries(entries)),
  ]);
  const sp = state.servicePrincipal;
  return couldConsentAgain({
    appName: app.displayName,
    verifiedPublisher: sp ? sp.verifiedPublisher !== null : app.verifiedPublisher,
    ownTenantApp: (sp?.appOwnerOrganizationId ?? "").toLowerCase() === env().tenant.tenantId.toLowerCase(),
    requested: apis.map((api) => ({ resourceAppId: api, scopes: [...(requested.get(api) ?? [])] })),
    userConsentPolicies,
    publishedScopes: published,
  });
}

/**
 * Successful sign-ins to the app, read with the portal's app-only read access: Entra lets only
 * report readers read the sign-in log, and an application administrator is not one. What cannot be
 * read is said, never taken for "nobody".
 */
export async function readAppSignIns(appId: string): Promise<AppSignIn[] | { unavailable: string }> {
  try {
    const since = new Date(Date.now() - SIGN_IN_LOOKBACK_DAYS * 24 * 60 * 60 * 1000);
    const found = await listSignInsOfApp(appOnlyGraph().client, appId, since, ["id", "createdDateTime", "userId", "userDisplayName", "userPrincipalName", "status"]);
    return found
      .filter((s) => (s.status?.errorCode ?? 0) === 0 && s.userId)
      .map((s) => ({ userId: s.userId!, name: s.userDisplayName || s.userPrincipalName || s.userId!, upn: s.userPrincipalName ?? s.userId!, at: s.createdDateTime ?? "" }));
  } catch {
    return { unavailable: "The sign-in log could not be read, so users who used the app through the tenant-wide grant are not listed." };
  }
}

/**
 * The app (the catalog's, else the tenant's own description of it), the choice (only well-formed
 * values) and the tenant as it is, planned: the preview and the action both run this.
 */
export async function loadRevoke({ graph, user }: WizardReadContext, input: Omit<RevokeInput, "justification">): Promise<RevokeWizardPlan | Refusal> {
  const app = await findKnownApp(graph, input.appId);
  if (!app) return refuse("This app is neither in the portal's catalog nor in your tenant: there is nothing to revoke.");
  const { selection, invalid } = revokeSelectionFrom(input);
  if (invalid.length > 0) return refuse("Some of the choices are not valid.", { revoke: invalid });
  if (selection.deleteServicePrincipal && selection.block) return refuse("Choose either to block the app or to delete it, not both.");
  if (selection.scopes.length + selection.appRoles.length + selection.users.length === 0 && !selection.deleteServicePrincipal && !selection.block) {
    return refuse("Choose at least one thing to revoke.");
  }
  const state = await readAppState(graph, app.appId);
  const prohibiting = (selection.deleteServicePrincipal || selection.block) && state.servicePrincipal !== null;
  const [consentAgain, signIns] = prohibiting
    ? await Promise.all([selection.deleteServicePrincipal ? readConsentAgain(graph, app, state) : Promise.resolve(null), readAppSignIns(app.appId)])
    : [null, undefined];
  const plan = planRevoke({ selection, state, adminWids: user.wids, consentAgain, signIns });
  // The admin confirmed a deletion without the warning, but users could consent again now: they must see it first.
  if (plan.deleteServicePrincipal && plan.consentAgain?.possible && input.confirmDelete === "yes") {
    return refuse(`Users could consent to ${app.displayName} again after it is deleted: ${plan.consentAgain.reason} Preview again to see the warning and the alternative.`);
  }
  return { app, plan };
}
