import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { getOrganization } from "@/lib/graph/directory";
import { graphFailure } from "@/lib/graph/errors";
import { graphForUser } from "@/lib/graph/session";

export type TenantSummaryReading =
  | { ok: true; displayName: string | null; defaultDomain: string | null }
  | { ok: false; failure: { status: number; code: string } | null };

/**
 * The tenant as Microsoft Graph reports it to the signed-in person, read with their own delegated
 * token: proof, on every home page, that the portal reaches the tenant as that person.
 */
export async function readTenantSummary(user: SignedInUser): Promise<TenantSummaryReading> {
  // Outside the try: an expired sign-in redirects to the sign-in page rather than showing as a Graph failure.
  const graph = await graphForUser(user);
  try {
    const org = await getOrganization(graph.client);
    const domains = org?.verifiedDomains ?? [];
    const defaultDomain = domains.find((d) => d.isDefault)?.name ?? domains[0]?.name ?? null;
    return { ok: true, displayName: org?.displayName ?? null, defaultDomain };
  } catch (error) {
    const failure = graphFailure(error);
    return { ok: false, failure: failure ? { status: failure.status, code: failure.code } : null };
  }
}
