import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { JsonDiff } from "@/components/audit/json-diff";
import { OutcomeBadge } from "@/components/audit/outcome-badge";
import { LocalTime } from "@/components/ui/local-time";
import { requireRole } from "@/lib/auth/guards";
import { auditSql } from "@/lib/audit";
import { auditFilterSchema, seqSchema, filterToSearch, firstValues, orderSchema } from "@/lib/audit/filters";
import { getEvent, relatedEvents } from "@/lib/audit/query";
import { describeChange, sentenceText } from "@/lib/audit/sentence";

export const metadata: Metadata = { title: "Audit event" };

type Props = { params: Promise<{ seq: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditEventPage({ params, searchParams }: Props) {
  const { seq } = await params;
  await requireRole(["reviewer", "admin"], `/audit/${encodeURIComponent(seq)}`);
  const parsedSeq = seqSchema.safeParse(seq);
  if (!parsedSeq.success) notFound();
  const sql = auditSql();
  const event = await getEvent(sql, parsedSeq.data);
  if (!event) notFound();
  const related = await relatedEvents(sql, event);
  // Back to the list with the filter the reviewer came from (only a valid one).
  const query = firstValues(await searchParams);
  const filter = auditFilterSchema.safeParse(query);
  // …and in the order they had chosen (newest first is the list's default, so it needs no parameter).
  const order = orderSchema.safeParse(query.sort);
  const sort = order.success && order.data !== "newest" ? { sort: order.data } : {};
  const back = `/audit${filter.success ? filterToSearch(filter.data, sort) : ""}`;
  const change = [...related, event].sort((a, b) => (a.seq < b.seq ? -1 : 1));
  const sentence = sentenceText(describeChange({ intent: change.find((e) => e.outcome === "intended"), head: change.at(-1) ?? event }));

  const facts: [string, ReactNode][] = [
    ["Time", <LocalTime key="t" iso={event.occurredAt.toISOString()} />],
    ["Outcome", <OutcomeBadge key="o" outcome={event.outcome} />],
    ["Action", <code key="a">{event.action}</code>],
    ["Source", event.source === "entra" ? `Entra directory audit${event.externalId ? ` (${event.externalId})` : ""}` : "Admin Consent Portal"],
    ["Actor", event.actorName || event.actorUpn ? `${event.actorName ?? ""}${event.actorUpn ? ` <${event.actorUpn}>` : ""}` : "—"],
    ["Actor object ID", event.actorOid ?? "—"],
    ["Actor roles", event.actorRoles.length ? event.actorRoles.join(", ") : "—"],
    ["Tenant", event.tenantId],
    ["Target", `${event.targetType}${event.targetName ? `: ${event.targetName}` : ""}`],
    ["App ID", event.targetAppId ?? "—"],
    ["Target object ID", event.targetId ?? "—"],
    ["Justification", event.justification ?? "—"],
    ["Client IP", event.clientIp ?? "—"],
    ["User agent", event.userAgent ?? "—"],
    ["Correlation ID", event.correlationId],
  ];

  return (
    <div className="space-y-6">
      <Link href={back} className="text-sm text-brand underline">
        ← Back to the audit trail
      </Link>
      <h1 className="text-2xl font-semibold">
        Event {event.seq.toString()} <span className="text-base font-normal text-slate-600">{event.action}</span>
      </h1>
      <p className="text-slate-700" data-testid="audit-event-sentence">
        {sentence}
      </p>
      <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[12rem_1fr]">
        {facts.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="font-medium text-slate-600">{term}</dt>
            <dd className="break-words" data-testid={`fact-${term.toLowerCase().replace(/\s+/g, "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="changes" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="changes" className="mb-3 text-lg font-semibold">Before and after</h2>
        <JsonDiff before={event.before} after={event.after} />
      </section>

      <section aria-labelledby="graph" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="graph" className="mb-2 text-lg font-semibold">Microsoft Graph request IDs</h2>
        {event.graphRequestIds.length ? (
          <>
            <ul className="space-y-1 font-mono text-xs" data-testid="graph-request-ids">
              {event.graphRequestIds.map((id) => (
                <li key={id}>{id}</li>
              ))}
            </ul>
            <p className="mt-2 text-xs text-slate-500">Give these to Microsoft support, or find them in Entra&apos;s own logs.</p>
          </>
        ) : (
          <p className="text-sm text-slate-600">{event.outcome === "intended" ? "None: this event records what was about to be done; the calls are on its outcome." : "This event made no call to Microsoft Graph."}</p>
        )}
      </section>

      {related.length > 0 && (
        <section aria-labelledby="related" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="related" className="mb-2 text-lg font-semibold">Same change</h2>
          <ul className="space-y-1 text-sm">
            {related.map((other) => (
              <li key={other.seq.toString()}>
                <Link href={`/audit/${other.seq}`} className="text-brand underline">
                  Event {other.seq.toString()}
                </Link>{" "}
                <OutcomeBadge outcome={other.outcome} /> <LocalTime iso={other.occurredAt.toISOString()} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="integrity" className="rounded-lg border border-slate-200 bg-white p-4 text-xs">
        <h2 id="integrity" className="mb-2 text-lg font-semibold">Integrity</h2>
        <p className="break-all font-mono">previous hash {event.prevHash}</p>
        <p className="break-all font-mono">hash {event.hash}</p>
      </section>
    </div>
  );
}
