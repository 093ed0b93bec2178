import "server-only";
import { auditSql } from "@/lib/audit";
import { countChanges, listChanges, type AuditChange } from "@/lib/audit/query";
import type { SignedInUser } from "@/lib/auth/guards";
import { readAsUser } from "@/lib/consent/engine/wizard";
import { listEntraRequests } from "@/lib/consent/entra-requests";
import { db } from "@/lib/db";

/**
 * The admin home's readings. Each is read on its own so the page streams them in separate Suspense
 * boundaries: a slow Graph read (Entra's requests) never holds up the database ones.
 */

/** Users' requests made in the portal that no admin has decided yet. */
export async function openPortalRequests(): Promise<number> {
  return db().consentRequest.count({ where: { status: "open" } });
}

/**
 * Entra's pending admin consent requests the portal has neither granted nor denied, read with the
 * admin's own token; null when Graph could not be read (the page says so rather than showing 0).
 */
export async function pendingEntraRequests(user: SignedInUser): Promise<number | null> {
  try {
    const requests = await readAsUser(user, (graph) => listEntraRequests(graph, { mineOnly: false }));
    return requests.filter((request) => !request.approved && !request.denial).length;
  } catch {
    return null;
  }
}

/** The last few changes, newest first, for "recent changes". */
export async function recentChanges(limit = 5): Promise<AuditChange[]> {
  return (await listChanges(auditSql(), {}, { limit })).changes;
}

const DAY = 24 * 60 * 60 * 1000;

/** Changes of the last `days` days that failed or only partly applied: each one left the tenant not as asked. */
export async function unfinishedChanges(days = 7, now = new Date()): Promise<number> {
  const from = new Date(now.getTime() - days * DAY).toISOString().slice(0, 10);
  const [failed, partial] = await Promise.all([countChanges(auditSql(), { outcome: "failed", from }), countChanges(auditSql(), { outcome: "partial", from })]);
  return failed.changes + partial.changes;
}
