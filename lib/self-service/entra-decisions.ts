import "server-only";
import { auditSql } from "@/lib/audit";
import type { SignedInUser } from "@/lib/auth/guards";
import { DENY_ACTION } from "@/lib/consent/entra-requests";

/**
 * Requests a person made on Entra's own "Approval required" screen that an admin denied in the portal.
 * Graph cannot deny them (GRAPH.md fact 1), so the denial lives in the audit trail with the requesters'
 * oids; this is how each requester learns the outcome and the reason. Only the person's own denials are
 * read, and only the app, the decider and the reason are shown — never the other requesters.
 */
export type EntraDenial = { appId: string | null; appName: string; deciderName: string; reason: string; decidedAt: Date };

type Row = { appId: string | null; appName: string | null; actorName: string | null; actorUpn: string | null; reason: string | null; occurredAt: Date | string };

export async function listMyEntraDenials(user: Pick<SignedInUser, "oid" | "tid">, limit = 20): Promise<EntraDenial[]> {
  const rows = await auditSql().query<Row>(
    `SELECT "targetAppId" AS "appId", "targetName" AS "appName", "actorName", "actorUpn", after->>'reason' AS reason, "occurredAt"
       FROM "AuditEvent"
      WHERE action = $1 AND "tenantId" = $2::uuid AND after->'requesters' @> $3::jsonb
      ORDER BY seq DESC
      LIMIT ${Math.trunc(limit)}`,
    [DENY_ACTION, user.tid.toLowerCase(), JSON.stringify([{ oid: user.oid.toLowerCase() }])],
  );
  return rows.map((row) => ({
    appId: row.appId,
    appName: row.appName ?? row.appId ?? "an app",
    deciderName: row.actorName ?? row.actorUpn ?? "an admin",
    reason: row.reason ?? "",
    decidedAt: new Date(row.occurredAt),
  }));
}
