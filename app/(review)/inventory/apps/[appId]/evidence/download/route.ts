import { loadEvidence } from "@/lib/baseline/evidence";
import { evidenceFileName, renderEvidenceDocument } from "@/lib/baseline/evidence-html";
import { requireRole } from "@/lib/auth/guards";
import { guid } from "@/lib/validations/common";

/** The evidence page as one self-contained HTML file, for an auditor to keep. Reviewers and admins only. */
export async function GET(_request: Request, { params }: { params: Promise<{ appId: string }> }) {
  const { appId: raw } = await params;
  await requireRole(["reviewer", "admin"], `/inventory/apps/${raw}/evidence`);
  const parsed = guid.safeParse(raw);
  if (!parsed.success) return Response.json({ error: "That is not an app ID." }, { status: 404 });
  const evidence = await loadEvidence(parsed.data);
  return new Response(renderEvidenceDocument(evidence), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Disposition": `attachment; filename="${evidenceFileName(evidence)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      // Opened from disk or by mistake inline: no script may run in it (it has none).
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
