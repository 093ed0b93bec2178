import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import type { TenantConfig } from "@/lib/env";
import { ReauthenticationRequired, type Refresher } from "./tokens";

/**
 * Refreshes delegated tokens with MSAL against the tenant's authority (Entra, or the simulator's
 * issuer over https). MSAL's logging stays off: its messages can carry token fragments.
 */
export function msalRefresher(tenant: TenantConfig): Refresher {
  const authority = tenant.mode === "real" ? `https://login.microsoftonline.com/${tenant.tenantId}` : tenant.issuer;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      authority,
      knownAuthorities: [new URL(authority).host],
    },
    system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
  });
  return async (refreshToken, scopes) => {
    try {
      const result = await app.acquireTokenByRefreshToken({ refreshToken, scopes, forceCache: false });
      if (!result?.accessToken) throw new ReauthenticationRequired("The identity provider returned no access token.");
      return {
        accessToken: result.accessToken,
        expiresAt: Math.floor((result.expiresOn?.getTime() ?? Date.now() + 3_600_000) / 1000),
        scopes: scopes.join(" "),
      };
    } catch (error) {
      const code = (error as { errorCode?: string }).errorCode;
      if (code === "invalid_grant" || code === "interaction_required" || code === "consent_required") {
        throw new ReauthenticationRequired("The refresh token was refused; sign in again.");
      }
      throw error;
    }
  };
}
