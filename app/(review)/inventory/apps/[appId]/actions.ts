"use server";

import { revalidatePath } from "next/cache";
import { authorizedAction } from "@/lib/actions/authorized-action";
import type { ActionResult } from "@/lib/actions/result";
import { AuditUnavailableError } from "@/lib/audit";
import { adoptIntoBaseline } from "@/lib/baseline/adopt";
import { adoptSchema } from "@/lib/baseline/schema";
import { explainFailure } from "@/lib/consent/engine/failure";
import { asUser } from "@/lib/consent/engine/wizard";

/**
 * Adopts what the tenant grants an app now as its approved baseline (admins: they change consent).
 * Re-reads the tenant and saves only if it still matches the preview the admin confirmed.
 */
export const adoptIntoBaselineAction = authorizedAction(["admin"], adoptSchema, async (input, { user, actor, request }): Promise<ActionResult<{ version: number }>> => {
  try {
    const outcome = await asUser(user, (graph) => adoptIntoBaseline({ graph, actor, request }, input));
    if (!outcome.ok) return { ok: false, message: `${outcome.reason} Nothing was saved.` };
    revalidatePath(`/inventory/apps/${input.appId}`);
    revalidatePath(`/admin/apps/${input.appId}`);
    return {
      ok: true,
      message: `Adopted: the baseline (version ${outcome.baseline.version}) is the ${outcome.baseline.permissions.length} ${outcome.baseline.permissions.length === 1 ? "permission" : "permissions"} the tenant grants now.`,
      data: { version: outcome.baseline.version },
    };
  } catch (error) {
    const message = error instanceof AuditUnavailableError ? error.message : `${explainFailure(error, "adopt the app into the baseline")} Nothing was saved.`;
    return { ok: false, message };
  }
});
