import "server-only";
import { env } from "@/lib/env";
import { appOnlyGraph } from "@/lib/graph/app-only";
import type { ScanSummary } from "./analysis";
import { scanTenant, startScan } from "./engine";
import { estimateMsLeft } from "./progress";
import { scanSql } from "./sql";
import { abandonedScans, readScan } from "./store";

/**
 * The consent inventory scan as the portal runs it: in the background of this process, with the
 * portal's own read-only app-only Graph client, one scan per tenant at a time. The pages start one
 * and follow it with readScanProgress (it survives a reload: everything is in InventoryScan); the job
 * scheduler takes up a scan whose process died (resumeInterruptedScans).
 */

export { scanTenant, startScan, DEFAULT_CONCURRENCY, DEFAULT_UNUSED_AFTER_DAYS, type ScanOptions, type ScanOutcome, type ScanProgressEvent } from "./engine";
export { ScanAlreadyRunningError, type ScanCursor } from "./store";
export type { ScanSummary } from "./analysis";
export { estimateMsLeft } from "./progress";

export type ScanActor = { upn: string; name: string };

const running = new Set<Promise<unknown>>();

/** Runs the scan without waiting for it; its outcome is in InventoryScan (status, lastError). */
function inBackground(scanId: string, holder?: string): void {
  const { tenant } = env();
  const work = scanTenant({ graph: appOnlyGraph(), sql: scanSql(), tenantId: tenant.tenantId, scanId, holder })
    .catch(() => undefined) // already recorded on the scan row; a background promise must not reject unobserved
    .finally(() => running.delete(work));
  running.add(work);
}

/** Starts a scan of the tenant and returns at once, or names the scan already running. */
export async function startInventoryScan(actor: ScanActor): Promise<{ scanId: string } | { alreadyRunning: string }> {
  const started = await startScan(scanSql(), env().tenant.tenantId, actor);
  if ("alreadyRunning" in started) return started;
  inBackground(started.scanId, started.holder);
  return { scanId: started.scanId };
}

export type ScanProgress = {
  status: "running" | "completed" | "failed";
  phase: string;
  pages: number;
  items: number;
  requests: number;
  throttled: number;
  elapsedMs: number;
  /** from the pages still expected (the previous scan's count) at the pace so far; null while unknown */
  estimatedMsLeft: number | null;
  lastError: string | null;
  startedAt: Date;
  finishedAt: Date | null;
};

export async function readScanProgress(scanId: string): Promise<ScanProgress | null> {
  const scan = await readScan(scanSql(), scanId);
  if (!scan || scan.tenantId !== env().tenant.tenantId) return null;
  const elapsedMs = Math.max(0, (scan.finishedAt ?? new Date()).getTime() - new Date(scan.startedAt).getTime());
  return {
    status: scan.status,
    phase: scan.phase,
    pages: scan.pages,
    items: scan.items,
    requests: scan.requests,
    throttled: scan.throttled,
    elapsedMs,
    estimatedMsLeft: estimateMsLeft({ ...scan, elapsedMs }),
    lastError: scan.lastError,
    startedAt: scan.startedAt,
    finishedAt: scan.finishedAt,
  };
}

export type CompletedScan = { id: string; startedAt: Date; finishedAt: Date; startedByName: string | null; summary: ScanSummary };

/** The newest completed scan of the tenant, with its summary (counts and changes since the one before). */
export async function latestCompletedScan(): Promise<CompletedScan | null> {
  const rows = await scanSql().query<CompletedScan>(
    `SELECT id::text, "startedAt", "finishedAt", "startedByName", summary FROM "InventoryScan"
     WHERE "tenantId" = $1::uuid AND status = 'completed' ORDER BY "startedAt" DESC LIMIT 1`,
    [env().tenant.tenantId],
  );
  return rows[0] ?? null;
}

/** The running scan of the tenant, if any (the pages show its progress instead of the start button). */
export async function runningScan(): Promise<{ id: string } | null> {
  const rows = await scanSql().query<{ id: string }>(`SELECT id::text FROM "InventoryScan" WHERE "tenantId" = $1::uuid AND status = 'running'`, [env().tenant.tenantId]);
  return rows[0] ?? null;
}

/**
 * Takes up every running scan whose lease ran out — its process died, or it stopped on a fault that
 * outlasted the retries — from its cursor, in the background. For the job scheduler (lib/jobs/start.ts).
 */
export async function resumeInterruptedScans(): Promise<string[]> {
  const ids = await abandonedScans(scanSql(), env().tenant.tenantId);
  for (const id of ids) inBackground(id);
  return ids;
}
