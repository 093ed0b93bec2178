import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

export type InventoryHeadline = { scannedAt: Date; riskyApps: number; unusedApps: number; findings: number };

/** Risk levels the headline counts as "risky": the levels whose apps the findings ask an admin to look at. */
export const RISKY_LEVELS = ["Critical", "High"] as const;

/**
 * The admin home's numbers, from the newest completed scan of this tenant: apps at High or Critical
 * risk, apps with an "unused" finding (consent held, no sign-in for the scan's threshold), and all
 * findings. Null until a scan has completed: a running or failed scan has no consistent numbers yet.
 */
export async function readInventoryHeadline(): Promise<InventoryHeadline | null> {
  const scan = await db().inventoryScan.findFirst({
    where: { tenantId: env().tenant.tenantId, status: "completed" },
    orderBy: { startedAt: "desc" },
    select: { id: true, finishedAt: true, startedAt: true },
  });
  if (!scan) return null;
  const [riskyApps, unused, findings] = await Promise.all([
    db().inventoryApp.count({ where: { scanId: scan.id, riskLevel: { in: [...RISKY_LEVELS] } } }),
    db().inventoryFinding.groupBy({ by: ["servicePrincipalId"], where: { scanId: scan.id, kind: "unused" } }),
    db().inventoryFinding.count({ where: { scanId: scan.id } }),
  ]);
  return { scannedAt: scan.finishedAt ?? scan.startedAt, riskyApps, unusedApps: unused.length, findings };
}
