import { randomUUID } from "node:crypto";
import type { Session } from "next-auth";

/**
 * The sign-in module (@/auth) as a server action sees it, for tests of the real actions:
 * `vi.mock("@/auth", () => import("@/lib/testing/session"))`, then `signedIn.user = person(…)`.
 */

export const TEST_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/** Who is signed in now; null: nobody. */
export const signedIn: { user: Session["user"] | null } = { user: null };

export async function auth(): Promise<Session | null> {
  return signedIn.user ? { user: signedIn.user, expires: "" } : null;
}

/** A person of this run's own (a fresh oid), so rows other test files write cannot blur what a test counts. */
export function person(name: string, role: Session["user"]["role"] = "user"): Session["user"] {
  return { oid: randomUUID(), tid: TEST_TENANT, name, upn: `${name.toLowerCase().replace(" ", ".")}@contoso.onmicrosoft.com`, role, wids: [], entraRoles: [] };
}
