/**
 * "Is my app approved?": the answer for one person and one app, from facts read out of the tenant
 * (grants, the user consent setting, classifications, assignment, the app's publisher). Pure: the same
 * rules Entra applies when the person signs in (GRAPH.md, `permissionGrantPoliciesAssigned`).
 */

export type RequestedPermissions = { resourceAppId: string; scopes: string[]; appRoles: string[] }[];
/** A delegated permission as the resource publishes it: admin-only (`type: "Admin"`) and whether the tenant classified it low impact. */
export type PublishedScope = { value: string; adminOnly: boolean; lowImpact: boolean };

export type StatusFacts = {
  appName: string;
  verifiedPublisher: boolean;
  /** Registered in this tenant (the organization's own app), rather than a third party's. */
  ownTenantApp: boolean;
  /** What the app asks for; null when the portal cannot tell (not in the catalog, nothing pasted). */
  requested: RequestedPermissions | null;
  servicePrincipal: { accountEnabled: boolean; appRoleAssignmentRequired: boolean } | null;
  tenantWide: { resourceAppId: string; scopes: string[] }[];
  /** The person's own consents (consentType Principal, principalId = them). Never anyone else's. */
  mine: { resourceAppId: string; scopes: string[] }[];
  appRolesGranted: { resourceAppId: string; value: string }[];
  /** Assigned directly or through a group. */
  assigned: boolean;
  /** The tenant's `permissionGrantPoliciesAssigned`. */
  userConsentPolicies: string[];
  /** Published delegated permissions, by resource appId (lower case). */
  publishedScopes: Record<string, PublishedScope[]>;
};

export type StatusKind = "approved-everyone" | "approved-you" | "self-consent" | "needs-admin" | "blocked";
export type MissingPermission = { resourceAppId: string; kind: "delegated" | "application"; value: string; why: string };
export type AppStatus = {
  kind: StatusKind;
  title: string;
  explanation: string;
  nextStep: string;
  /** What is not granted yet, each with why the person cannot consent to it themselves. */
  missing: MissingPermission[];
  /** Whether asking an admin for approval can help. */
  canRequest: boolean;
  /** What an approval should grant for everyone: every requested permission the tenant-wide grant lacks. */
  toRequest: { resourceAppId: string; kind: "delegated" | "application"; value: string }[];
};

export const STATUS_TITLES: Record<StatusKind, string> = {
  "approved-everyone": "Approved for everyone",
  "approved-you": "Approved for you",
  "self-consent": "You can consent yourself",
  "needs-admin": "Needs an admin",
  blocked: "Blocked",
};

const SELF = "ManagePermissionGrantsForSelf.";
const LOW = `${SELF}microsoft-user-default-low`;
const LEGACY = `${SELF}microsoft-user-default-legacy`;
const RECOMMENDED = `${SELF}microsoft-user-default-recommended`;
/** MC1097272: under the Microsoft-managed setting, admin consent for these whenever a third-party app asks. */
const MANAGED_THIRD_PARTY_ADMIN_ONLY = new Set(["files.read.all", "files.readwrite.all", "sites.read.all", "sites.readwrite.all"]);

const lower = (value: string) => value.toLowerCase();

function covered(grants: { resourceAppId: string; scopes: string[] }[], resourceAppId: string): Set<string> {
  return new Set(grants.filter((g) => lower(g.resourceAppId) === lower(resourceAppId)).flatMap((g) => g.scopes.map(lower)));
}

/**
 * An API's published scopes by lower-cased name. Microsoft Graph publishes hundreds; a status check looks
 * up each requested one, and the list itself is shared across requests for a while (tenant-facts.ts), so
 * its index is made once per list rather than searched through again for every scope of every check.
 */
const publishedIndexes = new WeakMap<PublishedScope[], Map<string, PublishedScope>>();
function publishedByName(scopes: PublishedScope[] | undefined): Map<string, PublishedScope> | undefined {
  if (!scopes) return undefined;
  let index = publishedIndexes.get(scopes);
  if (!index) {
    index = new Map();
    // The first of two names that differ only in case wins, as find() did.
    for (const p of scopes) if (!index.has(lower(p.value))) index.set(lower(p.value), p);
    publishedIndexes.set(scopes, index);
  }
  return index;
}

/** Why the person cannot consent to this delegated permission themselves; null when they can. */
function selfConsentRefusal(facts: StatusFacts, resourceAppId: string, scope: string): string | null {
  if (facts.servicePrincipal?.appRoleAssignmentRequired) return "The app requires assignment, so only an admin can consent for it.";
  const published = publishedByName(facts.publishedScopes[lower(resourceAppId)])?.get(lower(scope));
  if (!published) return "Not a permission the API publishes for users to consent to.";
  if (published.adminOnly) return "Only an admin can consent to this permission.";
  // Entra compares the prefix without regard to case; its admin center writes "managePermissionGrantsForSelf.".
  const self = facts.userConsentPolicies.filter((p) => lower(p).startsWith(lower(SELF))).map(lower);
  if (self.includes(lower(LEGACY))) return null;
  // Both admit low-impact permissions for verified publishers' apps and the organization's own apps; the
  // Microsoft-managed one follows Microsoft's conditions of the day (GRAPH.md), Files/Sites rule included.
  const managed = self.includes(lower(RECOMMENDED));
  if (managed || self.includes(lower(LOW))) {
    if (!facts.verifiedPublisher && !facts.ownTenantApp) return "The app's publisher is not verified, and your organization lets users consent only to verified publishers' apps.";
    if (!published.lowImpact) return "Your organization lets users consent only to permissions classified low impact, and this one is not.";
    if (managed && !facts.ownTenantApp && MANAGED_THIRD_PARTY_ADMIN_ONLY.has(lower(scope))) {
      return "Your organization lets Microsoft manage user consent, and Microsoft requires an admin for a third-party app's access to files and sites.";
    }
    return null;
  }
  if (self.length > 0) return "Your organization uses a custom consent policy the portal cannot evaluate; an admin decides.";
  return "Your organization does not let users consent to apps.";
}

export function appStatus(facts: StatusFacts): AppStatus {
  const sp = facts.servicePrincipal;
  if (sp && !sp.accountEnabled) {
    return {
      kind: "blocked", title: STATUS_TITLES.blocked, missing: [], canRequest: false, toRequest: [],
      explanation: `Sign-in to ${facts.appName} is turned off in your organization.`,
      nextStep: "An approval request cannot change this. Ask your IT help desk why the app was disabled.",
    };
  }
  if (sp?.appRoleAssignmentRequired && !facts.assigned) {
    return {
      kind: "blocked", title: STATUS_TITLES.blocked, missing: [], canRequest: false, toRequest: [],
      explanation: `Only people assigned to ${facts.appName} can sign in to it, and you are not assigned.`,
      nextStep: "Ask your IT help desk to assign you (or a group you are in) to the app.",
    };
  }

  if (facts.requested === null) {
    if (facts.tenantWide.length > 0) {
      return {
        kind: "approved-everyone", title: STATUS_TITLES["approved-everyone"], missing: [], canRequest: false, toRequest: [],
        explanation: `An admin approved ${facts.appName} for everyone in your organization. The portal does not know everything the app asks for, so a new permission could still need approval.`,
        nextStep: "Sign in to the app. If you see an error, paste it into Troubleshoot.",
      };
    }
    if (facts.mine.length > 0) {
      return {
        kind: "approved-you", title: STATUS_TITLES["approved-you"], missing: [], canRequest: false, toRequest: [],
        explanation: `You consented to ${facts.appName} yourself.`,
        nextStep: "Sign in to the app. If you see an error, paste it into Troubleshoot.",
      };
    }
    return {
      kind: "needs-admin", title: STATUS_TITLES["needs-admin"], missing: [], canRequest: false, toRequest: [],
      explanation: `${facts.appName} is not approved in your organization, and the portal does not know which permissions it asks for.`,
      nextStep: "Try to sign in to the app, then paste the URL of the sign-in page or the error you see here: it says what the app asks for.",
    };
  }

  const missingForAll: MissingPermission[] = [];
  const missingForMe: MissingPermission[] = [];
  for (const api of facts.requested) {
    const everyone = covered(facts.tenantWide, api.resourceAppId);
    const me = covered([...facts.tenantWide, ...facts.mine], api.resourceAppId);
    for (const scope of api.scopes) {
      if (everyone.has(lower(scope))) continue;
      const entry = { resourceAppId: api.resourceAppId, kind: "delegated" as const, value: scope, why: "" };
      missingForAll.push(entry);
      if (!me.has(lower(scope))) missingForMe.push({ ...entry, why: selfConsentRefusal(facts, api.resourceAppId, scope) ?? "" });
    }
    for (const role of api.appRoles) {
      const granted = facts.appRolesGranted.some((g) => lower(g.resourceAppId) === lower(api.resourceAppId) && lower(g.value) === lower(role));
      if (granted) continue;
      const entry = { resourceAppId: api.resourceAppId, kind: "application" as const, value: role, why: "An application permission: the app uses it on its own, without a signed-in person. Only an admin can grant it." };
      missingForAll.push(entry);
      missingForMe.push(entry);
    }
  }

  if (missingForAll.length === 0) {
    return {
      kind: "approved-everyone", title: STATUS_TITLES["approved-everyone"], missing: [], canRequest: false, toRequest: [],
      explanation: `An admin approved everything ${facts.appName} asks for, for everyone in your organization.`,
      nextStep: "Sign in to the app. If you still see an error, paste it into Troubleshoot.",
    };
  }
  if (missingForMe.length === 0) {
    return {
      kind: "approved-you", title: STATUS_TITLES["approved-you"], missing: [], canRequest: false, toRequest: [],
      explanation: `You consented to what ${facts.appName} asks for yourself; it is not approved for everyone.`,
      nextStep: "Sign in to the app. Colleagues who want it may need to consent or ask for approval themselves.",
    };
  }
  const needAdmin = missingForMe.filter((m) => m.why !== "");
  if (needAdmin.length === 0) {
    return {
      kind: "self-consent", title: STATUS_TITLES["self-consent"], missing: missingForMe.map((m) => ({ ...m, why: "You can consent to this yourself." })), canRequest: false, toRequest: [],
      explanation: `Your organization lets you consent to every permission ${facts.appName} still needs: they are low impact and the publisher is verified.`,
      nextStep: "Sign in to the app and accept the permissions it shows. No approval is needed.",
    };
  }
  return {
    kind: "needs-admin", title: STATUS_TITLES["needs-admin"], missing: needAdmin, canRequest: true,
    toRequest: missingForAll.map(({ resourceAppId, kind, value }) => ({ resourceAppId, kind, value })),
    explanation: `${facts.appName} needs ${needAdmin.length === 1 ? "a permission" : `${needAdmin.length} permissions`} that only an admin can approve in your organization.`,
    nextStep: "Request approval below: say why you need the app. You will see here when an admin decides.",
  };
}

/**
 * What of `requested` the tenant-wide grants and application permission assignments do not cover yet,
 * as `d=`/`r=` style "<api>|<name>" values: empty means an approval really happened in the tenant.
 */
export function notCoveredTenantWide(
  requested: RequestedPermissions,
  tenantWide: { resourceAppId: string; scopes: string[] }[],
  appRolesGranted: { resourceAppId: string; value: string }[],
): string[] {
  const out: string[] = [];
  for (const api of requested) {
    const everyone = covered(tenantWide, api.resourceAppId);
    for (const scope of api.scopes) if (!everyone.has(lower(scope))) out.push(`${api.resourceAppId}|${scope}`);
    for (const role of api.appRoles) {
      if (!appRolesGranted.some((g) => lower(g.resourceAppId) === lower(api.resourceAppId) && lower(g.value) === lower(role))) out.push(`${api.resourceAppId}|${role}`);
    }
  }
  return out;
}
