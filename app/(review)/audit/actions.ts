"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/lib/auth/guards";
import { importEntraConsentEvents } from "@/lib/audit/drift";
import { graphForUser } from "@/lib/graph/session";
import { graphFailure } from "@/lib/graph/errors";

export type DriftImportState = { ok: boolean; message: string } | null;

/** Entra keeps directory audits for 30 days; re-reading them is harmless (imports are idempotent). */
const LOOKBACK_MS = 30 * 24 * 3600 * 1000;

/** Imports Entra's consent audits with the reviewer's own token (AuditLog.Read.All). Authorizes itself (S1). */
export async function importEntraConsentAction(_previous: DriftImportState): Promise<DriftImportState> {
  const user = await requireRole(["reviewer", "admin"], "/audit");
  const graph = await graphForUser(user);
  try {
    const { fetched, imported } = await importEntraConsentEvents(graph, new Date(Date.now() - LOOKBACK_MS));
    revalidatePath("/audit");
    return { ok: true, message: `Read ${fetched} consent events from Entra's audit log; ${imported} were new and are now in the trail.` };
  } catch (error) {
    const failure = graphFailure(error);
    if (failure?.status === 403) return { ok: false, message: "Entra refused to show its audit log to your account (it needs a role that can read audit logs)." };
    console.error("drift import failed", failure ?? (error instanceof Error ? error.name : "unknown"));
    return { ok: false, message: "Could not import from Entra right now. Try again in a moment." };
  }
}
