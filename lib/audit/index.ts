import "server-only";
import type { SignedInUser } from "@/lib/auth/guards";
import { db, dbPool } from "@/lib/db";
import { createAuditLog, type AuditActor, type AuditLog, type AuditRequestContext, type ChangeOutcome, type RecordEventInput, type WithAuditInput } from "./audit-log";
import type { AuditRecord } from "./canonical";
import { prismaSql, type AuditSql } from "./sql";

export { AuditUnavailableError, OutcomeNotRecordedError } from "./audit-log";
export type { AuditActor, AuditLog, AuditRequestContext, AuditTarget, ChangeOutcome, RecordEventInput, WithAuditInput } from "./audit-log";
export type { AuditRecord, AuditOutcome } from "./canonical";

/** The audit actor for a signed-in person: keyed on oid + tid (never the UPN), with their Entra roles as of sign-in. */
export function actorFromUser(user: SignedInUser): AuditActor {
  return { oid: user.oid, tid: user.tid, upn: user.upn, name: user.name, roles: user.entraRoles.length ? user.entraRoles : [user.role] };
}

/** Client IP and user agent of this request (one definition, in lib/http). */
export { requestContext } from "@/lib/http/request-context";

const globalForAudit = globalThis as unknown as { auditLog?: AuditLog; auditSql?: AuditSql };

/** The audit store over the portal's one Prisma client. */
export function auditSql(): AuditSql {
  globalForAudit.auditSql ??= prismaSql(db(), dbPool());
  return globalForAudit.auditSql;
}

/** The portal's audit log over its one database. */
export function auditLog(): AuditLog {
  globalForAudit.auditLog ??= createAuditLog(auditSql());
  return globalForAudit.auditLog;
}

/**
 * No audit, no action (S16): writes the "intended" event first (throws AuditUnavailableError and never
 * calls `change` if that fails), then runs `change`, then writes the outcome event with the same
 * correlationId. If `change` throws, writes a "failed" outcome (with graphRequestIds from
 * error.graphRequestIds if present) and rethrows.
 */
export async function withAudit<T>(
  input: WithAuditInput,
  change: () => Promise<ChangeOutcome<T>>,
): Promise<T> {
  return auditLog().withAudit(input, change);
}

/** One event on its own, e.g. a portal-only decision such as denying a request. */
export async function recordEvent(event: RecordEventInput): Promise<AuditRecord> {
  return auditLog().recordEvent(event);
}
