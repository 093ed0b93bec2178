import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { AuditChangesList } from "@/components/audit/changes-list";
import { DriftImportButton } from "@/components/audit/drift-import-button";
import { AuditFilterForm } from "@/components/audit/filter-form";
import { requireRole } from "@/lib/auth/guards";
import { auditSql } from "@/lib/audit";
import { type AuditFilter, auditFilterSchema, cursorSchema, filterToSearch, firstValues, orderSchema } from "@/lib/audit/filters";
import { countChanges, listChanges } from "@/lib/audit/query";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Audit trail" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  const raw = firstValues(await searchParams);
  await requireRole(["reviewer", "admin"], `/audit${filterToSearch(raw)}`);
  const parsed = auditFilterSchema.safeParse(raw);
  const cursor = cursorSchema.safeParse(raw.cursor);
  const orderParsed = orderSchema.safeParse(raw.sort);
  const order = orderParsed.success ? orderParsed.data : "newest";
  // The order travels with the filter in every link (pages, back from an event), but not to the export.
  const sortParam = order === "newest" ? {} : { sort: order };
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  if (!cursor.success) errors.cursor = "The page link is not valid; showing the newest events.";

  const filter = parsed.success ? parsed.data : {};
  const search = filterToSearch(filter, sortParam);
  // The form submits every field; keep the URL to the fields in use, so links stay short and readable.
  if (parsed.success && cursor.success && Object.values(raw).some((value) => value.trim() === "")) {
    redirect(`/audit${filterToSearch(filter, { ...sortParam, cursor: cursor.data })}`);
  }
  const page = parsed.success ? await listChanges(auditSql(), filter, { cursor: cursor.success ? cursor.data : undefined, limit: 50, order }) : null;
  const exportLink = (format: "csv" | "jsonl") => `/audit/export${filterToSearch(filter, { format })}`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <PageHeader
          title="Audit trail"
          subtitle="Every change the portal made or attempted, and consent made in Entra outside it: one row per change. Times are in your time zone; hover for UTC."
        />
        <nav aria-label="Audit tools" className="flex gap-3 text-sm">
          <Link href="/audit/verify" className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50">
            Verify the chain
          </Link>
          <a href={exportLink("csv")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
            Export CSV
          </a>
          <a href={exportLink("jsonl")} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
            Export JSON Lines
          </a>
        </nav>
      </div>
      <AuditFilterForm values={{ ...raw, sort: order }} errors={errors} />
      <section aria-label="Consent made outside the portal" className="rounded-lg border border-slate-200 bg-white p-4">
        <p className="mb-2 text-sm text-slate-700">
          Consents made in Entra directly (not through the portal) appear here as events of source <strong>entra</strong> once imported from Entra&apos;s audit log.
        </p>
        <DriftImportButton />
      </section>
      {errors.cursor && <p className="text-sm text-amber-800">{errors.cursor}</p>}
      {page ? (
        <>
          <Suspense fallback={<p className="text-sm text-slate-600">Counting…</p>}>
            <ChangeCount filter={filter} />
          </Suspense>
          <AuditChangesList changes={page.changes} search={search} />
          <nav aria-label="Pages" className="flex justify-between text-sm">
            {cursor.success && cursor.data ? (
              <Link href={`/audit${search}`} className="text-brand underline">
                {order === "newest" ? "← Newest" : order === "oldest" ? "← Oldest" : "← First page"}
              </Link>
            ) : (
              <span />
            )}
            {page.nextCursor && (
              <Link href={`/audit${filterToSearch(filter, { ...sortParam, cursor: page.nextCursor })}`} className="text-brand underline">
                {order === "newest" ? "Older changes →" : order === "oldest" ? "Newer changes →" : "Next page →"}
              </Link>
            )}
          </nav>
        </>
      ) : (
        <p role="alert" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          Fix the filter above to see events.
        </p>
      )}
    </div>
  );
}

/** The total for the filter, streamed on its own: counting a long trail should not hold up the first page. */
async function ChangeCount({ filter }: { filter: AuditFilter }) {
  const total = await countChanges(auditSql(), filter);
  const n = new Intl.NumberFormat("en");
  return (
    <p className="text-sm text-slate-700" data-testid="audit-total">
      {total.changes === 1 ? "1 change" : `${n.format(total.changes)} changes`} ({total.events === 1 ? "1 event" : `${n.format(total.events)} events`})
    </p>
  );
}
