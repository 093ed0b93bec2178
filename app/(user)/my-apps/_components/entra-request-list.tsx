import Link from "next/link";
import type { EntraRequestStatus, MyEntraRequest } from "@/lib/self-service/entra-requests-of-user";
import { formatTime } from "./request-list";

const LABEL: Record<EntraRequestStatus, string> = { waiting: "Waiting for an admin", approved: "Approved", denied: "Denied", expired: "Expired" };

function statusLine(r: MyEntraRequest): string {
  if (r.status === "waiting") return LABEL.waiting;
  if (r.status === "expired") return "Expired: no admin decided in time";
  const by = r.decidedByName ? ` by ${r.decidedByName}` : " in Entra";
  return `${LABEL[r.status]}${by}${r.decidedAt ? ` ${formatTime(r.decidedAt)}` : ""}`;
}

/** The requests the person made on Entra's "Approval required" screen while signing in: theirs only. */
export function MyEntraRequestList({ requests }: { requests: MyEntraRequest[] }) {
  return (
    <div className="space-y-2">
      <h3 className="font-medium">Asked when signing in (Entra&apos;s “Approval required” screen)</h3>
      <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="my-entra-requests">
        {requests.map((r) => (
          <li key={`${r.requestId}-${r.createdAt.toISOString()}`} className="space-y-1 p-3 text-sm" data-testid="my-entra-request">
            <p className="flex flex-wrap items-center justify-between gap-2">
              <Link href={`/my-apps/apps/${r.appId}`} className="font-medium text-brand underline">
                {r.appName}
              </Link>
              <span data-testid="request-status">{statusLine(r)}</span>
            </p>
            <p className="text-slate-600">
              Requested {formatTime(r.createdAt)}: “{r.reason}”
            </p>
            {r.denialReason && <p className="text-slate-700">Reason: {r.denialReason}</p>}
            {r.status === "denied" && (
              <p className="text-slate-600">If you still need the app, talk to the person who denied it, or request approval here with more detail about what you need it for.</p>
            )}
            {r.status === "expired" && <p className="text-slate-600">If you still need the app, request approval here: the portal&apos;s requests do not expire.</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
