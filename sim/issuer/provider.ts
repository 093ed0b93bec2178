import { randomBytes } from "node:crypto";
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { exportJWK, generateKeyPair } from "jose";
import tenant from "../fixtures/tenant.json";
import graphPermissions from "../../lib/data/microsoft-graph-permissions.json";
import { ACCOUNTS, idTokenClaims, tenantOf, type SimAccount } from "./accounts";
import { forgeIdToken, IdTokenDefects, type SigningKey } from "./forge";
import { escapeHtml, page } from "./html";

/** Microsoft Graph's resource identifier and appId: the audience of Graph access tokens. */
export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/**
 * Delegated Graph scopes as clients name them: `User.Read` or `https://graph.microsoft.com/User.Read`.
 * Access tokens carry the bare names in `scp`, as Entra's do.
 */
const GRAPH_SCOPES = graphPermissions.delegatedScopesList.map((scope) => scope.value);
const GRAPH_SCOPE_NAMES = [...GRAPH_SCOPES, ...GRAPH_SCOPES.map((name) => `${GRAPH_RESOURCE}/${name}`)];

function bareScope(scope: string): string {
  return scope.startsWith(`${GRAPH_RESOURCE}/`) ? scope.slice(GRAPH_RESOURCE.length + 1) : scope;
}

/**
 * What the portal's own app registration may read app-only (client credentials): read-only application
 * permissions for lookups a regular user's delegated token cannot make (grants, policies, assignments),
 * and Entra's directory audits for the scheduled drift import (lib/drift/schedule.ts).
 */
export const PORTAL_APP_READ_ROLES = ["Application.Read.All", "Directory.Read.All", "Policy.Read.All", "AuditLog.Read.All", "ConsentRequest.Read.All"];
/**
 * The two write permissions a tenant grants only if it wants recertification's automatic revocation
 * (README, "Application permissions"): removing grants and application permissions as the portal itself.
 * The simulated tenant has granted them, so the automatic revocation can be shown and tested.
 */
export const PORTAL_APP_REVOKE_ROLES = ["DelegatedPermissionGrant.ReadWrite.All", "AppRoleAssignment.ReadWrite.All"];
export const PORTAL_APP_ROLES = [...PORTAL_APP_READ_ROLES, ...PORTAL_APP_REVOKE_ROLES];
/** `.default` asks for every application permission the client was granted, as in Entra. */
const DEFAULT_SCOPES = [`${GRAPH_RESOURCE}/.default`, `${GRAPH_APP_ID}/.default`];

function accountBySub(sub: string): SimAccount | undefined {
  return ACCOUNTS.find((account) => idTokenClaims(account).sub === sub);
}

export type Issuer = {
  provider: Provider;
  /** `https://127.0.0.1:<port>/<tenant>/v2.0` */
  issuer: string;
  /** The path the provider is mounted at (the issuer's path). */
  mountPath: string;
  /** The public signing keys, for the simulated Graph to verify access tokens. */
  publicJwks: { keys: Record<string, unknown>[] };
  /** The private signing key, for tests that sign tokens as this issuer would. */
  signingKey: SigningKey;
  /** Test-only: a defect the next ID token of an authorization-code exchange is forged with (S2 tests). */
  idTokenDefects: IdTokenDefects;
};

/**
 * An OpenID Connect issuer shaped like Microsoft Entra ID v2.0 for one tenant: tenant-specific issuer,
 * ID tokens with `tid`/`oid`/`wids`, JWT access tokens for Microsoft Graph with `scp`/`wids`.
 */
export async function createIssuer(options: { origin: string; portalUrls: string[] }): Promise<Issuer> {
  const mountPath = `/${tenant.tenantId}/v2.0`;
  const issuer = `${options.origin}${mountPath}`;
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomBytes(8).toString("hex");
  const signingKey: SigningKey = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
  const publicJwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }] };

  const configuration: Configuration = {
    clients: [
      {
        client_id: tenant.portalClient.clientId,
        client_secret: tenant.portalClient.clientSecret,
        client_name: tenant.portalClient.displayName,
        redirect_uris: options.portalUrls.map((url) => `${url}/api/auth/callback/microsoft-entra-id`),
        post_logout_redirect_uris: options.portalUrls.map((url) => `${url}/`),
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        response_types: ["code"],
        // Auth.js and MSAL both send the secret in the body when told to.
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    // Entra puts tid/oid/wids in the ID token even when an access token is issued too.
    conformIdTokenClaims: false,
    claims: {
      openid: ["sub", "oid", "tid", "name", "preferred_username", "wids", "ver"],
      profile: ["name", "preferred_username"],
      email: ["email"],
    },
    scopes: [...OIDC_SCOPES],
    pkce: { required: () => true },
    ttl: { AccessToken: 3600, ClientCredentials: 3600, IdToken: 3600, AuthorizationCode: 60, RefreshToken: 24 * 3600, Session: 8 * 3600, Interaction: 600, Grant: 24 * 3600 },
    // Entra issues refresh tokens whenever offline_access is asked for, prompt or not.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // Entra does not invalidate a confidential client's refresh token when it is used.
    rotateRefreshToken: false,
    async findAccount(_ctx, sub) {
      const account = accountBySub(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: async () => idTokenClaims(account) };
    },
    // The portal is a first-party app the tenant consented to: no consent screen, as in Entra.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const requested = String(params?.scope ?? "").split(" ").filter(Boolean);
      grant.addOIDCScope(requested.filter((scope) => OIDC_SCOPES.has(scope)).join(" "));
      const graphScopes = requested.filter((scope) => GRAPH_SCOPE_NAMES.includes(scope));
      if (graphScopes.length > 0) grant.addResourceScope(GRAPH_RESOURCE, graphScopes.join(" "));
      await grant.save();
      return grant;
    },
    async extraTokenClaims(_ctx, token) {
      // App-only (client credentials): no user, the app's application permissions in `roles`, as Entra.
      if (token.kind === "ClientCredentials") {
        return { roles: PORTAL_APP_ROLES, tid: tenant.tenantId, appid: token.clientId, azp: token.clientId, idtyp: "app" };
      }
      if (token.kind !== "AccessToken" || !token.accountId) return undefined;
      const account = accountBySub(token.accountId);
      if (!account) return undefined;
      const scp = String(token.scope ?? "")
        .split(" ")
        .filter((scope) => scope && !OIDC_SCOPES.has(scope))
        .map(bareScope);
      return {
        scp: [...new Set(scp)].join(" "),
        oid: account.id,
        tid: tenantOf(account),
        wids: account.wids,
        name: account.displayName,
        upn: account.userPrincipalName,
        appid: token.clientId,
      };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            "Sign out",
            `<h1>Sign out</h1><p>Sign out of the simulated tenant?</p>${form}
             <button class="primary" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page("Signed out", "<h1>You signed out of your account</h1><p>You can close this window.</p>");
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => GRAPH_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) throw new errors.InvalidTarget();
          return {
            scope: [...GRAPH_SCOPE_NAMES, ...DEFAULT_SCOPES].join(" "),
            audience: GRAPH_APP_ID,
            accessTokenTTL: 3600,
            accessTokenFormat: "jwt",
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}` },
    async renderError(ctx, out) {
      ctx.type = "html";
      ctx.body = page(
        "Sign-in error",
        `<h1>Sorry, but we’re having trouble signing you in.</h1>
         <p class="error">${escapeHtml(String(out.error))}: ${escapeHtml(String(out.error_description ?? ""))}</p>`,
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  const idTokenDefects = new IdTokenDefects();
  provider.use(async (ctx, next) => {
    await next();
    // Only the code exchange of a sign-in: refreshes and client credentials are left alone.
    if (ctx.oidc?.route !== "token" || ctx.status !== 200 || ctx.oidc.params?.grant_type !== "authorization_code") return;
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (typeof body?.id_token !== "string") return;
    const defect = idTokenDefects.take();
    if (defect) ctx.body = { ...body, id_token: await forgeIdToken(body.id_token, defect, { key: signingKey, issuer }) };
  });
  return { provider, issuer, mountPath, publicJwks, signingKey, idTokenDefects };
}
