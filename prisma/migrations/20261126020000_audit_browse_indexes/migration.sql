-- The audit trail is browsed newest first by (occurredAt, seq) with keyset pages, so imported Entra
-- events sit beside the portal's own at the time they happened. One index per filter in that order
-- (lib/audit/filters.ts, lib/audit/query.ts); the (x, seq) indexes of the first migration are replaced.

-- DropIndex
DROP INDEX "AuditEvent_actorOid_seq_idx";

-- DropIndex
DROP INDEX "AuditEvent_targetAppId_seq_idx";

-- DropIndex
DROP INDEX "AuditEvent_action_seq_idx";

-- DropIndex
DROP INDEX "AuditEvent_outcome_seq_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_actorOid_occurredAt_seq_idx" ON "AuditEvent"("actorOid", "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_targetAppId_occurredAt_seq_idx" ON "AuditEvent"("targetAppId", "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_action_occurredAt_seq_idx" ON "AuditEvent"("action", "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_occurredAt_seq_idx" ON "AuditEvent"("outcome", "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_action_outcome_occurredAt_seq_idx" ON "AuditEvent"("action", "outcome", "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_source_occurredAt_seq_idx" ON "AuditEvent"("source", "occurredAt" DESC, "seq" DESC);

-- Words in the justification: a GIN full-text index (core PostgreSQL, so PGlite has it too; pg_trgm
-- would not). Prisma's schema cannot express it; lib/audit/filters.ts queries exactly this expression.
CREATE INDEX "AuditEvent_justification_search_idx" ON "AuditEvent"
  USING GIN (to_tsvector('simple'::regconfig, coalesce("justification", '')));
