import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import type { AuditChange } from "@/lib/audit/query";
import { describeChange, sentenceText } from "@/lib/audit/sentence";
import { OutcomeBadge } from "./outcome-badge";

/** The last few changes as sentences, each a link to its record. */
export async function RecentChanges({ changes }: { changes: Promise<AuditChange[]> }) {
  const list = await changes;
  if (list.length === 0) return <p className="text-slate-600">No changes yet. Every change made through the portal appears here.</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="recent-changes-list">
      {list.map((change) => (
        <li key={change.correlationId} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 py-2">
          <Link href={`/audit/${change.head.seq}`} className="min-w-0 flex-1 hover:underline">
            {sentenceText(describeChange(change))}
          </Link>
          <span className="flex items-center gap-2 text-xs text-slate-600">
            <OutcomeBadge outcome={change.head.outcome} alone={change.events.length === 1} />
            <LocalTime iso={change.head.occurredAt.toISOString()} />
          </span>
        </li>
      ))}
    </ol>
  );
}

