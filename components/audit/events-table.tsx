import Link from "next/link";
import type { AuditRecord } from "@/lib/audit/canonical";
import { formatUtc, OutcomeBadge } from "./outcome-badge";

/** The events of one page, newest first; each row links to its detail, keeping the filter for "back". */
export function AuditEventsTable({ events, search }: { events: AuditRecord[]; search: string }) {
  if (events.length === 0) return <p className="rounded border border-slate-200 bg-white p-4 text-sm text-slate-600">No events match this filter.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full border-collapse text-sm" data-testid="audit-table">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50 text-left text-slate-600">
            {["#", "Time", "Actor", "Action", "App", "Outcome", "Justification"].map((title) => (
              <th key={title} scope="col" className="px-3 py-2 font-medium">
                {title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.seq.toString()} className="border-b border-slate-100 align-top hover:bg-slate-50" data-testid="audit-row">
              <td className="px-3 py-2 font-mono text-xs">
                <Link href={`/audit/${event.seq}${search}`} className="text-brand underline" aria-label={`Event ${event.seq}`}>
                  {event.seq.toString()}
                </Link>
              </td>
              <td className="whitespace-nowrap px-3 py-2 text-xs">{formatUtc(event.occurredAt)}</td>
              <td className="px-3 py-2">
                {event.actorName ?? event.actorUpn ?? <span className="text-slate-400">—</span>}
                {event.source === "entra" && <span className="ml-1 rounded bg-indigo-50 px-1 text-xs text-indigo-800">Entra</span>}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{event.action}</td>
              <td className="px-3 py-2" data-testid="audit-row-app">
                {event.targetName ?? event.targetAppId ?? <span className="text-slate-400">—</span>}
              </td>
              <td className="px-3 py-2">
                <OutcomeBadge outcome={event.outcome} />
              </td>
              <td className="max-w-xs truncate px-3 py-2 text-slate-700" title={event.justification ?? undefined}>
                {event.justification ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
