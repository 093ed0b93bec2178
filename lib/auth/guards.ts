import "server-only";
import type { Session } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { auth } from "@/auth";
import type { PortalRole } from "@/lib/roles";

export type SignedInUser = Session["user"];

/** The signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SignedInUser> {
  const session = await auth();
  if (!session?.user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session.user;
}

/**
 * The signed-in user if their portal role is one of `roles`; otherwise sign-in (no session) or the
 * 403 page. Every page, route handler and server action calls this itself (S1).
 */
export async function requireRole(roles: readonly PortalRole[], returnTo: string): Promise<SignedInUser> {
  const user = await requireUser(returnTo);
  if (!roles.includes(user.role)) forbidden();
  return user;
}
