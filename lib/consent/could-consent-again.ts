import { appStatus, type PublishedScope } from "@/lib/self-service/status";

/**
 * Could users consent to an app again, by themselves, once its service principal is gone? Deleting the
 * app removes every grant, but not the tenant's user consent setting nor its low-impact
 * classifications: when they let users consent to everything the app asks for, the next person who
 * opens it gets a consent prompt, accepts, and the app is back (seed 001's "prohibit users" then
 * prohibits nothing). Pure: the same rules as "Is my app approved?" (`appStatus`), applied to an app
 * that has no service principal, no grant and no assignment.
 */

export type ConsentAgainFacts = {
  appName: string;
  verifiedPublisher: boolean;
  /** Registered in this tenant (the organization's own app). */
  ownTenantApp: boolean;
  /** The delegated permissions the app asks users for, per API. */
  requested: { resourceAppId: string; scopes: string[] }[];
  /** The tenant's `permissionGrantPoliciesAssigned`. */
  userConsentPolicies: string[];
  /** Published delegated permissions of each requested API (appId lower case), with the tenant's classification. */
  publishedScopes: Record<string, PublishedScope[]>;
};

export type ConsentAgain = {
  /** A user who opens the app gets a consent prompt they can accept. */
  possible: boolean;
  /** Why, in one sentence, for the preview, the result and the audit trail. */
  reason: string;
  /** The permissions a user could grant again (when possible). */
  scopes: string[];
};

export function couldConsentAgain(facts: ConsentAgainFacts): ConsentAgain {
  const requested = facts.requested.filter((api) => api.scopes.length > 0);
  if (requested.length === 0) return { possible: false, reason: `${facts.appName} asks for no delegated permission the portal knows of.`, scopes: [] };
  const status = appStatus({
    appName: facts.appName,
    verifiedPublisher: facts.verifiedPublisher,
    ownTenantApp: facts.ownTenantApp,
    requested: requested.map((api) => ({ ...api, appRoles: [] })),
    servicePrincipal: null,
    tenantWide: [],
    mine: [],
    appRolesGranted: [],
    assigned: false,
    userConsentPolicies: facts.userConsentPolicies,
    publishedScopes: facts.publishedScopes,
  });
  const scopes = requested.flatMap((api) => api.scopes);
  if (status.kind === "self-consent") {
    const publisher = facts.ownTenantApp ? "it is your organization's own app" : facts.verifiedPublisher ? "its publisher is verified" : "the setting admits any publisher";
    return {
      possible: true,
      scopes,
      reason: `the tenant's user consent setting lets every user consent to what ${facts.appName} asks for (${scopes.join(", ")}): ${publisher} and every one of these permissions is one users may grant themselves.`,
    };
  }
  // The first reason a user could not consent is the one that keeps the app out.
  const first = status.missing.find((m) => m.why !== "");
  return { possible: false, scopes: [], reason: first ? `${first.value}: ${first.why}` : status.explanation };
}
