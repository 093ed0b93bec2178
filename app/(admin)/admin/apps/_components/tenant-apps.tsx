import type { SignedInUser } from "@/lib/auth/guards";
import { graphForUser } from "@/lib/graph/session";
import { listAll } from "@/lib/graph/paging";
import { PickAppButton } from "./pick-app-button";

/** Microsoft's own tenant: its first-party service principals are not third-party apps. */
const MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

type Sp = { appId: string; displayName: string; appOwnerOrganizationId?: string | null };

/** Third-party apps already in the tenant that the catalog does not list yet: one click adds one. */
export async function TenantApps({ user, known }: { user: SignedInUser; known: string[] }) {
  const graph = await graphForUser(user);
  const sps = await listAll<Sp>(graph.client, "/servicePrincipals?$select=appId,displayName,appOwnerOrganizationId&$top=999", { maxItems: 5000 });
  const candidates = sps
    .filter((sp) => sp.appOwnerOrganizationId !== MICROSOFT_TENANT && sp.appOwnerOrganizationId !== user.tid && !known.includes(sp.appId.toLowerCase()))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  if (candidates.length === 0) return <p className="text-sm text-slate-600">Every third-party app in your tenant is in the catalog.</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="tenant-apps">
      {candidates.map((sp) => (
        <li key={sp.appId} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
          <span>
            <span className="font-medium">{sp.displayName}</span> <span className="font-mono text-xs text-slate-500">{sp.appId}</span>
          </span>
          <PickAppButton appId={sp.appId} name={sp.displayName} />
        </li>
      ))}
    </ul>
  );
}
