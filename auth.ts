import NextAuth, { type Session } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { headers } from "next/headers";
import { cache } from "react";
import { identityFromIdToken } from "@/lib/auth/id-token";
import { createSession, endSession, touchSession } from "@/lib/auth/session-store";
import { liveSession } from "@/lib/auth/signed-in-only";
import { openVerifiedSession, VERIFIED_SESSION_HEADER, type VerifiedClaims } from "@/lib/auth/verified-session";
import { env } from "@/lib/env";
import { signInScopes } from "@/lib/graph/scopes";
import { entraRoleNames, portalRoleFor, type PortalRole } from "@/lib/roles";

declare module "next-auth" {
  interface Session {
    user: {
      oid: string;
      tid: string;
      name: string;
      upn: string;
      role: PortalRole;
      /** Entra directory role template IDs from the `wids` claim, as of sign-in. */
      wids: string[];
      entraRoles: string[];
    };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    /** Id of the server-side UserSession row; the only link from the cookie to the server. */
    sid?: string;
    oid?: string;
    tid?: string;
    upn?: string;
    wids?: string[];
  }
}

const nextAuth = NextAuth(() => {
  const { tenant, AUTH_SECRET, SESSION_MAX_HOURS } = env();
  return {
    secret: AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_HOURS * 3600 },
    pages: { signIn: "/signin", error: "/auth/error" },
    providers: [
      MicrosoftEntraID({
        clientId: tenant.clientId,
        clientSecret: tenant.clientSecret,
        // Pinned to one tenant: never `common` (S2).
        issuer: tenant.issuer,
        client: { token_endpoint_auth_method: "client_secret_post" },
        // S2: `state` against login CSRF, `nonce` bound into the ID token against its replay, PKCE for
        // the code. Auth.js keeps each in a sealed 15-minute cookie and checks it on the callback
        // (oauth4webapi compares the ID token's nonce). The provider's default is PKCE only.
        checks: ["pkce", "state", "nonce"],
        authorization: {
          params: {
            scope: signInScopes(),
            // Always let the person choose the account. The simulator (oidc-provider) knows `login`.
            prompt: tenant.mode === "simulated" ? "login" : "select_account",
          },
        },
        // The default profile() fetches a photo from graph.microsoft.com; the portal needs none.
        profile: (profile) => ({ id: `${profile.tid}.${profile.oid}`, name: profile.name, email: profile.preferred_username }),
      }),
    ],
    callbacks: {
      // The person is taken from the ID token only after its signature checks out (lib/auth/id-token.ts),
      // never from Auth.js's `profile`, which is the token's claims as received.
      async signIn({ account }) {
        const checked = await identityFromIdToken(account?.id_token, tenant);
        return checked.ok ? true : `/auth/error?error=${checked.refusal}`;
      },
      async jwt({ token, account }) {
        if (account) {
          // Checked again where the session row is made, so no path to createSession skips it.
          const checked = await identityFromIdToken(account.id_token, tenant);
          if (!checked.ok) return null;
          const { identity } = checked;
          const sid = await createSession(identity, {
            accessToken: account.access_token,
            refreshToken: account.refresh_token,
            expiresAt: account.expires_at,
            scopes: account.scope,
          });
          // Only identifiers go into the cookie; tokens stay in the sealed session row.
          return { sid, oid: identity.oid, tid: identity.tid, name: identity.name, upn: identity.upn, wids: identity.wids };
        }
        if (!token.sid || !(await touchSession(token.sid))) return null;
        return token;
      },
      session({ session, token }) {
        return { ...session, user: userOf({ oid: token.oid ?? "", tid: token.tid ?? "", name: token.name ?? "", upn: token.upn ?? "", wids: token.wids ?? [] }) };
      },
    },
    events: {
      async signOut(message) {
        if ("token" in message && message.token?.sid) await endSession(message.token.sid);
      },
    },
  };
});

export const { handlers, signIn, signOut } = nextAuth;

function userOf(claims: Pick<VerifiedClaims, "oid" | "tid" | "name" | "upn" | "wids">): Session["user"] {
  return { oid: claims.oid, tid: claims.tid, name: claims.name, upn: claims.upn, role: portalRoleFor(claims.wids), wids: [...claims.wids], entraRoles: entraRoleNames(claims.wids) };
}

/**
 * The current session, once per request. Check `session?.user`, never `!!session`.
 * Read here rather than through Auth.js's auth(), which runs its whole session endpoint and re-encrypts
 * the cookie each time only to drop the new one (a page cannot set cookies), and whose jwt callback
 * would ask the database again about the session proxy.ts has just checked. The same check: the
 * claims proxy.ts verified for this very request (lib/auth/verified-session.ts), else the cookie
 * decrypted and its UserSession live (lib/auth/signed-in-only.ts), as the jwt callback above does.
 * The cookie's own lifetime is the session's absolute end (SESSION_MAX_HOURS, as the UserSession row's),
 * so not renewing it on each read ends no session sooner.
 */
export const auth = cache(async (): Promise<Session | null> => {
  const requestHeaders = await headers();
  const verified = openVerifiedSession(requestHeaders.get(VERIFIED_SESSION_HEADER), requestHeaders.get("cookie"), env().AUTH_SECRET);
  const claims = verified ?? (await checkedClaims(requestHeaders));
  if (!claims) return null;
  return { user: userOf(claims), expires: new Date(claims.exp * 1000).toISOString() };
});

/** As when Auth.js's jwt callback failed: a session that cannot be checked is no session. */
async function checkedClaims(requestHeaders: Headers): Promise<VerifiedClaims | null> {
  const session = await liveSession(requestHeaders);
  return session === "unknown" ? null : session;
}
