import { z } from "zod";
import { firstValues } from "@/lib/audit/filters";
import { requireRole } from "@/lib/auth/guards";
import { pullStream } from "@/lib/audit/export";
import { appExportChunks, findingExportChunks } from "@/lib/inventory/export";
import { findingFilterSchema, inventoryFilterSchema, toSearch } from "@/lib/inventory/filters";
import { latestCompletedScan } from "@/lib/inventory/scan";

const optionsSchema = z.object({ what: z.enum(["apps", "findings"]).default("apps"), format: z.enum(["csv", "json"]).default("csv") });

/**
 * The newest completed scan's apps or findings as CSV or JSON, filtered as on the page, streamed a
 * page at a time (S9: CSV formula cells neutralized). Reviewers and admins only.
 */
export async function GET(request: Request) {
  const raw = firstValues(new URL(request.url).searchParams);
  await requireRole(["reviewer", "admin"], `/inventory${toSearch(raw)}`);
  const options = optionsSchema.safeParse({ what: raw.what || undefined, format: raw.format || undefined });
  if (!options.success) return Response.json({ error: "Choose apps or findings, as csv or json." }, { status: 400 });
  const { what, format } = options.data;
  const filter = what === "apps" ? inventoryFilterSchema.safeParse(raw) : findingFilterSchema.safeParse(raw);
  if (!filter.success) return Response.json({ error: "The filter is not valid. Adjust it on the inventory page and export again." }, { status: 400 });
  const scan = await latestCompletedScan();
  if (!scan) return Response.json({ error: "No scan has completed yet: there is nothing to export." }, { status: 404 });
  const chunks = what === "apps" ? appExportChunks(scan.id, filter.data, format) : findingExportChunks(scan.id, filter.data, format);
  const stamp = (scan.finishedAt ?? scan.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(pullStream(chunks), {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="inventory-${what}-${stamp}.${format}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
