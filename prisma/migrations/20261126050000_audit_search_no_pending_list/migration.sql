-- The justification word search (lib/audit/filters.ts) read the GIN index's whole pending list on
-- every query: with GIN's default fastupdate, new entries wait in an unsorted list until a vacuum,
-- and an append-only table that is rarely vacuumed keeps a long one (370 pages after 200,000
-- appends, most of a query's time). Without fastupdate each append updates the index itself (a few
-- words per justification) and searches stay index lookups. Rebuilt, which also empties the list.
-- Prisma's schema cannot express this index (see 20261126020000_audit_browse_indexes).

-- DropIndex
DROP INDEX "AuditEvent_justification_search_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_justification_search_idx" ON "AuditEvent"
  USING GIN (to_tsvector('simple'::regconfig, coalesce("justification", ''))) WITH (fastupdate = off);
