import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import type { AuditChange } from "@/lib/audit/query";
import { describeChange } from "@/lib/audit/sentence";
import { OutcomeBadge } from "./outcome-badge";

/**
 * One row per change: intent and outcome joined by correlation id, said as a sentence, with the
 * events behind it one click away. A list rather than a wide table, so nothing is cut on a narrow screen.
 */
export function AuditChangesList({ changes, search }: { changes: AuditChange[]; search: string }) {
  if (changes.length === 0) return <p className="rounded border border-slate-200 bg-white p-4 text-sm text-slate-600">No changes match this filter.</p>;
  return (
    <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="audit-table" aria-label="Changes">
      {changes.map((change) => (
        <ChangeRow key={change.correlationId} change={change} search={search} />
      ))}
    </ol>
  );
}

function ChangeRow({ change, search }: { change: AuditChange; search: string }) {
  const { head, intent, events } = change;
  const sentence = describeChange({ intent, head });
  let appShown = false;
  return (
    <li className="px-4 py-3 text-sm" data-testid="audit-row" data-correlation-id={change.correlationId}>
      <div className="flex flex-wrap items-start gap-x-4 gap-y-1 sm:flex-nowrap">
        <LocalTime iso={head.occurredAt.toISOString()} className="w-36 shrink-0 text-xs text-slate-600 tabular-nums" />
        <p className="min-w-0 flex-1 break-words" data-testid="audit-sentence">
          {sentence.map((segment, index) => {
            if (typeof segment === "string") return <span key={index}>{segment}</span>;
            const first = !appShown;
            appShown = true;
            return (
              <span key={index} className="font-medium" data-testid={first ? "audit-row-app" : undefined}>
                {segment.app}
              </span>
            );
          })}
          {head.source === "entra" && <span className="ml-2 rounded bg-indigo-50 px-1 text-xs text-indigo-800">Entra</span>}
        </p>
        <span className="flex shrink-0 items-center gap-2">
          <OutcomeBadge outcome={head.outcome} alone={events.length === 1} />
          <Link href={`/audit/${head.seq}${search}`} className="font-mono text-xs text-brand underline" aria-label={`Event ${head.seq}`}>
            #{head.seq.toString()}
          </Link>
        </span>
      </div>
      <details className="mt-1 sm:ml-40">
        <summary className="cursor-pointer text-xs text-slate-600">
          {events.length === 1 ? "1 event" : `${events.length} events`}
          {head.justification ? ` · “${head.justification.length > 80 ? `${head.justification.slice(0, 80)}…` : head.justification}”` : ""}
        </summary>
        <ul className="mt-2 space-y-1 text-xs" data-testid="audit-row-events">
          {events.map((event) => (
            <li key={event.seq.toString()} className="flex flex-wrap items-center gap-2">
              <Link href={`/audit/${event.seq}${search}`} className="font-mono text-brand underline">
                Event {event.seq.toString()}
              </Link>
              <OutcomeBadge outcome={event.outcome} />
              <LocalTime iso={event.occurredAt.toISOString()} className="text-slate-600" />
              {event.graphRequestIds.length > 0 && <span className="text-slate-600">{event.graphRequestIds.length === 1 ? "1 Graph call" : `${event.graphRequestIds.length} Graph calls`}</span>}
            </li>
          ))}
          {head.justification && <li className="text-slate-700">Justification: {head.justification}</li>}
        </ul>
      </details>
    </li>
  );
}
