"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/guards";
import { importEntraConsentEventsAs } from "@/lib/drift/on-demand";
import { crossOriginRefusal } from "@/lib/http/same-origin";

export type DriftImportState = { ok: boolean; message: string } | null;

/** Entra keeps directory audits for 30 days; re-reading them is harmless (imports are idempotent). */
const LOOKBACK_MS = 30 * 24 * 3600 * 1000;

/** Imports Entra's consent audits with the reviewer's own token (AuditLog.Read.All). Authorizes itself (S1). */
export async function importEntraConsentAction(_previous: DriftImportState): Promise<DriftImportState> {
  const crossOrigin = await crossOriginRefusal();
  if (crossOrigin) return { ok: false, message: crossOrigin };
  const user = await requireRole(["reviewer", "admin"], "/audit");
  const outcome = await importEntraConsentEventsAs(user, new Date(Date.now() - LOOKBACK_MS));
  if (!outcome.ok) {
    return {
      ok: false,
      message:
        outcome.reason === "forbidden"
          ? "Entra refused to show its audit log to your account (it needs a role that can read audit logs)."
          : "Could not import from Entra right now. Try again in a moment.",
    };
  }
  revalidatePath("/audit");
  return { ok: true, message: `Read ${outcome.fetched} consent events from Entra's audit log; ${outcome.imported} were new and are now in the trail.` };
}
