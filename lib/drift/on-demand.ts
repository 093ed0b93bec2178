import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { graphFailure } from "@/lib/graph/errors";
import { graphForUser } from "@/lib/graph/session";
import { importEntraConsentEvents } from "./entra-import";

export type EntraImportOutcome = { ok: true; fetched: number; imported: number } | { ok: false; reason: "forbidden" | "unavailable" };

/** The import on a reviewer's or admin's demand, with their own token (AuditLog.Read.All): Entra decides whether they may read its log. */
export async function importEntraConsentEventsAs(user: SignedInUser, since: Date): Promise<EntraImportOutcome> {
  // Outside the try: an expired sign-in redirects to the sign-in page.
  const graph = await graphForUser(user);
  try {
    return { ok: true, ...(await importEntraConsentEvents(graph, since)) };
  } catch (error) {
    const failure = graphFailure(error);
    if (failure?.status === 403) return { ok: false, reason: "forbidden" };
    console.error("drift import failed", failure ?? (error instanceof Error ? error.name : "unknown"));
    return { ok: false, reason: "unavailable" };
  }
}
