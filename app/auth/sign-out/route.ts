import { NextResponse } from "next/server";
import { signOut } from "@/auth";
import { crossOriginResponse } from "@/lib/http/same-origin";

/**
 * Sign out: a plain form post, answered with a 303 to the landing page, so the browser loads that page
 * afresh, without the session cookie, whatever the page it came from was still doing. As a server
 * action, the answer was a client-side navigation the router could lose to the page still streaming
 * behind it (the admin home's Graph summaries), leaving the person on a page that looked signed in.
 * Signing out needs no session and takes no input; posts from other sites are refused (S3).
 */
export async function POST(request: Request) {
  const refused = crossOriginResponse(request);
  if (refused) return refused;
  // Ends the UserSession row (auth.ts, events.signOut) and deletes the cookie on this response.
  await signOut({ redirect: false });
  const response = NextResponse.redirect(new URL("/?signedOut=1", request.url), 303);
  response.headers.set("cache-control", "no-store");
  return response;
}
