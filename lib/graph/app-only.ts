import "server-only";
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { env } from "@/lib/env";
import { createGraphClient, type GraphSession } from "./client";

/**
 * The portal's own read-only, app-only access to Graph (client credentials): for the lookups a regular
 * user's delegated token (User.Read only) cannot make — grants, policies, classifications, assignments.
 * Only reads: the registration is granted Application.Read.All, Directory.Read.All, Policy.Read.All and
 * AuditLog.Read.All (the scheduled drift import) and ConsentRequest.Read.All (a person's own requests made on
 * Entra's "Approval required" screen, for their list).
 * Every change is made with the signed-in admin's own delegated token (graphForUser), save one: appOnlyRevocationGraph below.
 */
const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

const globalForAppOnly = globalThis as unknown as {
  appOnlyMsal?: { key: string; app: ConfidentialClientApplication };
  appOnlyToken?: { key: string; accessToken: string; expiresAt: number };
};

/**
 * The token is kept here too, and reused while it has more than this left: the same margin at which MSAL
 * itself renews, so nothing changes but that each Graph call no longer searches MSAL's token cache (a
 * status page makes 3 calls; that search was a visible part of the page's CPU time).
 */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

function msalApp(): ConfidentialClientApplication {
  const { tenant } = env();
  // Same authority logic as lib/graph/msal.ts: Entra's tenant authority, or the simulator's issuer.
  const authority = tenant.mode === "real" ? `https://login.microsoftonline.com/${tenant.tenantId}` : tenant.issuer;
  const key = `${authority}|${tenant.clientId}`;
  if (globalForAppOnly.appOnlyMsal?.key !== key) {
    const app = new ConfidentialClientApplication({
      auth: { clientId: tenant.clientId, clientSecret: tenant.clientSecret, authority, knownAuthorities: [new URL(authority).host] },
      // MSAL's messages can carry token fragments: logging stays off.
      system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
    });
    globalForAppOnly.appOnlyMsal = { key, app };
  }
  return globalForAppOnly.appOnlyMsal.app;
}

/**
 * The one write the portal makes as itself: recertification's automatic revocation of an overdue app's
 * consent, which the admins turn on per app (lib/recertification). It needs the application permissions
 * DelegatedPermissionGrant.ReadWrite.All and AppRoleAssignment.ReadWrite.All, granted only by tenants that
 * want it; without them the revocation's steps fail with 403 and are audited as such. Named apart from
 * appOnlyGraph so every app-only write is this one, easy to find.
 */
export function appOnlyRevocationGraph(): GraphSession {
  return appOnlyGraph();
}

/** A Graph client acting as the portal itself, read-only. MSAL caches the token until shortly before it expires. */
export function appOnlyGraph(): GraphSession {
  const { tenant } = env();
  const getAccessToken = async () => {
    const key = `${tenant.mode === "real" ? tenant.tenantId : tenant.issuer}|${tenant.clientId}`;
    const kept = globalForAppOnly.appOnlyToken;
    if (kept?.key === key && kept.expiresAt - Date.now() > RENEW_BEFORE_EXPIRY_MS) return kept.accessToken;
    const result = await msalApp().acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
    if (!result?.accessToken) throw new Error("The identity provider returned no app-only access token.");
    if (result.expiresOn) globalForAppOnly.appOnlyToken = { key, accessToken: result.accessToken, expiresAt: result.expiresOn.getTime() };
    return result.accessToken;
  };
  return createGraphClient({ baseUrl: tenant.graphBaseUrl, getAccessToken });
}
