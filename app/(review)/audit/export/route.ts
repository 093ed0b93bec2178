import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import { auditSql } from "@/lib/audit";
import { exportStream } from "@/lib/audit/export";
import { auditFilterSchema, filterToSearch, firstValues } from "@/lib/audit/filters";

const formatSchema = z.enum(["csv", "jsonl"]).default("csv");

/** CSV or JSON Lines of the current filter, streamed (S9: formula cells neutralized). Reviewers and admins only. */
export async function GET(request: Request) {
  const raw = firstValues(new URL(request.url).searchParams);
  await requireRole(["reviewer", "admin"], `/audit${filterToSearch(raw)}`);
  const format = formatSchema.safeParse(raw.format || undefined);
  const filter = auditFilterSchema.safeParse(raw);
  if (!format.success || !filter.success) {
    return Response.json({ error: "The filter is not valid. Adjust it on the audit page and export again." }, { status: 400 });
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const [type, extension] = format.data === "csv" ? ["text/csv; charset=utf-8", "csv"] : ["application/x-ndjson; charset=utf-8", "jsonl"];
  return new Response(exportStream(auditSql(), filter.data, format.data), {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="audit-${stamp}.${extension}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
