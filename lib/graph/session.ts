import "server-only";
import { redirect } from "next/navigation";
import { currentSessionId } from "@/lib/auth/current-session";
import type { SignedInUser } from "@/lib/auth/guards";
import { endSession, sessionTokenStore } from "@/lib/auth/session-store";
import { env } from "@/lib/env";
import { createGraphClient, type GraphSession } from "./client";
import { msalRefresher } from "./msal";
import { graphScopesFor } from "./scopes";
import { accessToken, ReauthenticationRequired, singleFlight } from "./tokens";

let refresher: ReturnType<typeof msalRefresher> | undefined;

/**
 * A Graph client acting as the signed-in person, with their own delegated token narrowed to their
 * portal role's scopes: Entra enforces its roles and its audit log names the real person. When the
 * refresh token is refused the session ends and the person is sent to sign in again (S6).
 */
export async function graphForUser(user: SignedInUser): Promise<GraphSession> {
  const sid = await currentSessionId();
  if (!sid) redirect("/signin");
  const { tenant } = env();
  refresher ??= msalRefresher(tenant);
  const scopes = graphScopesFor(user.role);
  const store = sessionTokenStore(sid);
  const getAccessToken = () => singleFlight(sid, () => accessToken(store, scopes, refresher!));
  try {
    // Fetched once up front, so an expired sign-in surfaces here rather than inside a Graph call.
    await getAccessToken();
  } catch (error) {
    if (!(error instanceof ReauthenticationRequired)) throw error;
    await endSession(sid);
    redirect("/signin?reason=expired");
  }
  return createGraphClient({ baseUrl: tenant.graphBaseUrl, getAccessToken });
}
