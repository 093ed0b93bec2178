import type { SignedInUser } from "@/lib/auth/guards";
import { graphFailure } from "@/lib/graph/errors";
import { graphForUser } from "@/lib/graph/session";

type Organization = { id: string; displayName: string; verifiedDomains?: { name: string; isDefault?: boolean }[] };

/**
 * The tenant as Microsoft Graph reports it to the signed-in person, read with their own delegated
 * token: proof, on every home page, that the portal reaches the tenant as that person.
 */
export async function TenantSummary({ user }: { user: SignedInUser }) {
  const graph = await graphForUser(user);
  try {
    const organization: { value: Organization[] } = await graph.client.api("/organization").select(["id", "displayName", "verifiedDomains"]).get();
    const org = organization.value[0];
    const domain = org?.verifiedDomains?.find((d) => d.isDefault)?.name ?? org?.verifiedDomains?.[0]?.name;
    return (
      <p className="text-sm text-slate-600" data-testid="tenant-summary">
        Connected to <span className="font-medium text-slate-900">{org?.displayName ?? "your tenant"}</span>
        {domain && <> ({domain})</>} through Microsoft Graph, as you.
      </p>
    );
  } catch (error) {
    const failure = graphFailure(error);
    return (
      <p className="text-sm text-red-700" role="alert" data-testid="tenant-summary">
        Microsoft Graph could not be reached{failure ? ` (${failure.status} ${failure.code})` : ""}. Try again in a moment.
      </p>
    );
  }
}
