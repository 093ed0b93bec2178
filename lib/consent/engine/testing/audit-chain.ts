// Test helper: reads one tenant object's audit rows back and checks them as a history (S17, S24).
import type pg from "pg";

export type AuditRow = { seq: string; correlationId: string; outcome: string; action: string; actorUpn: string | null; before: unknown; after: unknown };

/** Every row of `actions` about one target, in the order the chain holds them. */
export async function auditRows(pool: pg.Pool, filter: { actions: string[]; targetAppId?: string; targetId?: string }): Promise<AuditRow[]> {
  const { rows } = await pool.query<AuditRow>(
    `SELECT seq::text AS seq, "correlationId"::text AS "correlationId", outcome, action, "actorUpn", before, after
       FROM "AuditEvent"
      WHERE action = ANY($1::text[])
        AND ($2::text IS NULL OR "targetAppId" = $2)
        AND ($3::text IS NULL OR "targetId" = $3)
      ORDER BY "AuditEvent".seq`, // the bigint, not the text alias
    [filter.actions, filter.targetAppId ?? null, filter.targetId ?? null],
  );
  return rows;
}

/**
 * What is wrong with the history of one object, as its audit rows tell it: with changes serialized,
 * each change's "intended" row is followed by its own outcome before the next change starts, and each
 * change starts from exactly what the previous one left (its `before` is the previous `after`) — so no
 * write landed that the trail does not show, and none was overwritten unseen. `state` reduces a
 * before/after to a comparable string.
 */
export function historyProblems(rows: AuditRow[], state: (value: unknown) => string): string[] {
  const problems: string[] = [];
  let previousAfter: string | null = null;
  for (let i = 0; i < rows.length; i += 2) {
    const intended = rows[i]!;
    const outcome = rows[i + 1];
    if (intended.outcome !== "intended" || !outcome || outcome.correlationId !== intended.correlationId) {
      problems.push(`seq ${intended.seq}: change ${intended.correlationId} (${intended.actorUpn}) overlaps another change to the same object`);
      return problems; // the pairing is lost from here on
    }
    if (outcome.outcome !== "succeeded") problems.push(`seq ${outcome.seq}: outcome ${outcome.outcome}`);
    const before = state(intended.before);
    if (previousAfter !== null && before !== previousAfter) problems.push(`seq ${intended.seq}: started from ${before}, but the previous change left ${previousAfter}`);
    previousAfter = state(outcome.after);
  }
  return problems;
}

/** The state after the last change to the object, as its last audit row says. */
export function lastAfter(rows: AuditRow[]): unknown {
  return rows.at(-1)?.after;
}

const sortedWords = (words: readonly string[]) => [...words].map((w) => w.toLowerCase()).sort().join(" ");

/** A grant's before ({scope}) or after ({grantId, scope} | null) as its sorted scopes. */
export const grantState = (value: unknown) => sortedWords(((value as { scope?: string } | null)?.scope ?? "").split(" ").filter(Boolean));

/** The authorization policy's before/after as its sorted assigned entries. */
export const policyState = (value: unknown) => sortedWords((value as { permissionGrantPoliciesAssigned?: string[] } | null)?.permissionGrantPoliciesAssigned ?? []);
