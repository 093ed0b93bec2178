import type { SignedInUser } from "@/lib/auth/guards";
import { tenantAppsNotInCatalog } from "@/lib/catalog/tenant-apps";
import { PickAppButton } from "./pick-app-button";

/** Third-party apps already in the tenant that the catalog does not list yet: one click adds one. */
export async function TenantApps({ user, known }: { user: SignedInUser; known: string[] }) {
  const candidates = await tenantAppsNotInCatalog(user, known);
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
