import { z } from "zod";
import { requireRole } from "@/lib/auth/guards";
import { latestCompletedScan, readScanProgress, runningScan } from "@/lib/inventory/scan";

const scanIdSchema = z.uuid().optional();

/**
 * A scan's progress as JSON for the inventory page's panel, read from the database (so it survives a
 * reload and any portal instance can answer): the scan named by `?scan=`, else the running one, else
 * the newest completed one; `null` when no scan has run yet.
 */
export async function GET(request: Request) {
  await requireRole(["reviewer", "admin"], "/inventory");
  const parsed = scanIdSchema.safeParse(new URL(request.url).searchParams.get("scan") || undefined);
  if (!parsed.success) return Response.json({ error: "Not a scan id." }, { status: 400 });
  const scanId = parsed.data ?? (await runningScan())?.id ?? (await latestCompletedScan())?.id;
  if (!scanId) return Response.json(null, { headers: { "Cache-Control": "no-store" } });
  const progress = await readScanProgress(scanId);
  if (!progress) return Response.json({ error: "No such scan." }, { status: 404, headers: { "Cache-Control": "no-store" } });
  return Response.json({ scanId, ...progress }, { headers: { "Cache-Control": "no-store" } });
}
