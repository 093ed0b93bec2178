import Link from "next/link";
import type { RequestView } from "@/lib/self-service/requests";

const LABEL: Record<RequestView["status"], string> = { open: "Waiting for an admin", approved: "Approved", denied: "Denied" };

export function requestStatusLabel(status: RequestView["status"]): string {
  return LABEL[status];
}

export function formatTime(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** The signed-in person's own requests: nobody else's are ever listed here. */
export function MyRequestList({ requests }: { requests: RequestView[] }) {
  if (requests.length === 0) return <p className="text-sm text-slate-600">You have not requested approval for any app yet.</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white" data-testid="my-requests">
      {requests.map((r) => (
        <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm">
          <Link href={`/my-apps/requests/${r.id}`} className="font-medium text-brand underline">
            {r.appName}
          </Link>
          <span data-testid="request-status">{LABEL[r.status]}</span>
          <span className="w-full text-slate-600">
            Requested {formatTime(r.createdAt)}
            {r.decidedAt && ` · ${LABEL[r.status].toLowerCase()} ${formatTime(r.decidedAt)} by ${r.decidedByName ?? "an admin"}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
