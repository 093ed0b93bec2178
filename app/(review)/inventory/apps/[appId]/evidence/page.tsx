import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { loadEvidence } from "@/lib/baseline/evidence";
import { EVIDENCE_CSS, renderEvidenceBody } from "@/lib/baseline/evidence-html";
import { requireRole } from "@/lib/auth/guards";
import { guid } from "@/lib/validations/common";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Evidence" };

/**
 * One app's evidence for an auditor: baseline, every change, every attestation, every drift. The body
 * is the same escaped markup the download carries (lib/baseline/evidence-html), so the printed page and
 * the kept file cannot disagree. Printing leaves out the portal's header and navigation.
 */
export default async function EvidencePage({ params }: { params: Promise<{ appId: string }> }) {
  const { appId: raw } = await params;
  await requireRole(["reviewer", "admin"], `/inventory/apps/${raw}/evidence`);
  const parsed = guid.safeParse(raw);
  if (!parsed.success) notFound();
  const evidence = await loadEvidence(parsed.data);

  return (
    <div className="space-y-4">
      <style>{`${EVIDENCE_CSS}
@media print {
  body > *:not(main), header, nav, footer, .evidence-tools { display: none !important; }
  main { padding: 0 !important; margin: 0 !important; max-width: none !important; }
  article.ev-doc { border: 0 !important; padding: 0 !important; }
}`}</style>
      <div className="evidence-tools flex flex-wrap items-center justify-between gap-3">
        <Link href={`/inventory/apps/${evidence.appId}`} className="text-sm text-brand underline">
          ← Approved baseline of {evidence.displayName}
        </Link>
        <div className="flex gap-2 text-sm">
          <PrintButton />
          <a href={`/inventory/apps/${evidence.appId}/evidence/download`} className="rounded border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50" download>
            Download (HTML)
          </a>
        </div>
      </div>
      {/* Every value in it is escaped by renderEvidenceBody (unit-tested): markup from the records cannot get through. */}
      <article className="ev-doc rounded-lg border border-slate-200 bg-white p-6" data-testid="evidence" dangerouslySetInnerHTML={{ __html: renderEvidenceBody(evidence) }} />
    </div>
  );
}
