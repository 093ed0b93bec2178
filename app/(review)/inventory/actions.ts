"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authorizedAction } from "@/lib/actions/authorized-action";
import { refused, type ActionResult } from "@/lib/actions/result";
import { explainFailure } from "@/lib/consent/engine";
import { BASELINE_COOKIE, chooseBaselineSchema } from "@/lib/inventory/filters";
import { startInventoryScan } from "@/lib/inventory/scan";

/**
 * Starts a scan of the tenant's consent (admins only: it spends the portal's Graph budget), or follows
 * the one already running. The scan only reads; it changes nothing in the tenant.
 */
export const startScanAction = authorizedAction(["admin"], z.object({}), async (_input, { user }): Promise<ActionResult<{ scanId: string }>> => {
  try {
    const started = await startInventoryScan({ upn: user.upn, name: user.name });
    if ("alreadyRunning" in started) return { ok: true, message: "A scan is already running; its progress is below.", data: { scanId: started.alreadyRunning } };
    return { ok: true, message: "Scan started.", data: { scanId: started.scanId } };
  } catch (error) {
    return refused(`${explainFailure(error)} No scan was started.`);
  }
});

/** Remembers the reviewer's posture baseline in a cookie (a preference, not a change: nothing is audited). */
export const chooseBaselineAction = authorizedAction(["reviewer", "admin"], chooseBaselineSchema, async ({ baseline }): Promise<ActionResult<undefined>> => {
  (await cookies()).set(BASELINE_COOKIE, baseline, { httpOnly: true, sameSite: "lax", path: "/inventory", maxAge: 365 * 24 * 3600 });
  revalidatePath("/inventory/posture");
  return { ok: true, message: "Baseline saved.", data: undefined };
});
