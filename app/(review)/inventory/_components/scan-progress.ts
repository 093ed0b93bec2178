import "server-only";
import type { ProgressView } from "@/components/inventory/scan-panel";
import { latestScanId } from "@/lib/inventory/query";
import { readScanProgress, runningScan } from "@/lib/inventory/scan";

/** The panel's first view: the running scan, else the newest one (a failed scan shows its error). */
export async function initialScanProgress(): Promise<ProgressView | null> {
  const scanId = (await runningScan())?.id ?? (await latestScanId());
  if (!scanId) return null;
  const progress = await readScanProgress(scanId);
  if (!progress) return null;
  const { status, phase, pages, items, requests, throttled, elapsedMs, estimatedMsLeft, lastError } = progress;
  return { scanId, status, phase, pages, items, requests, throttled, elapsedMs, estimatedMsLeft, lastError };
}
