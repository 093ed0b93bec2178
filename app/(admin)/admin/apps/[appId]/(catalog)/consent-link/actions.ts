"use server";

import { cookies } from "next/headers";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { currentSessionId } from "@/lib/auth/current-session";
import { findCatalogApp } from "@/lib/catalog";
import { adminConsentUrl, CONSENT_STATE_COOKIE, issueState } from "@/lib/consent/consent-link";
import { rememberState } from "@/lib/consent/consent-link-state";
import { env } from "@/lib/env";
import { consentLinkSchema } from "@/lib/validations/consent-link";

/** Makes a consent link whose `state` only this session can bring back, once (valid 15 minutes). */
export const createConsentLinkAction = authorizedAction(["admin"], consentLinkSchema, async ({ appId }): Promise<ActionResult<{ url: string }>> => {
  const app = await findCatalogApp(appId);
  if (!app) return refused("This app is not in the portal's catalog.");
  const sessionId = await currentSessionId();
  if (!sessionId) return refused("Your session has ended. Sign in again to continue.");
  const { tenant, AUTH_SECRET, AUTH_URL } = env();
  const portal = AUTH_URL ?? "http://localhost:3000";
  const { state, cookie, expiresAt } = issueState({ sessionId, appId: app.appId, secret: AUTH_SECRET });
  // Remembered on the server too, so the callback can accept it once only (S20).
  await rememberState({ state, sessionId, appId: app.appId, expiresAt });
  (await cookies()).set(CONSENT_STATE_COOKIE, cookie, {
    httpOnly: true,
    sameSite: "lax",
    secure: portal.startsWith("https://"),
    path: "/admin/consent-callback",
    maxAge: 15 * 60,
  });
  return { ok: true, message: "Link ready.", data: { url: adminConsentUrl(tenant, { appId: app.appId, redirectUri: `${portal}/admin/consent-callback`, state }) } };
});
