import type { ApprovingRequest } from "@/lib/consent/grant/approving";

/** Whose request this grant approves, and why they asked: the admin decides with it in view. */
export function ApprovingBanner({ approving }: { approving: ApprovingRequest }) {
  return (
    <section aria-label="The request you are approving" className="rounded border border-sky-200 bg-sky-50 px-3 py-2 text-sm" data-testid="approving-request">
      <p className="font-medium">
        Approving {approving.kind === "portal" ? "an approval request made in the portal" : "a request made on Entra's “Approval required” screen"}. Once the tenant
        grants everything asked for everyone, the request is marked approved.
      </p>
      <ul className="mt-1 space-y-1">
        {approving.requesters.map((r) => (
          <li key={r.oid}>
            <span className="font-medium">{r.name}</span> ({r.upn}): “{r.justification}”
          </li>
        ))}
      </ul>
    </section>
  );
}
