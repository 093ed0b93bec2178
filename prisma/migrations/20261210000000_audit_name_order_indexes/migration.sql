-- The audit trail sorted by app or by actor (/audit?sort=app|actor, lib/audit/query.ts changeOrderSql):
-- the named rows A→Z case-insensitively, the nameless last, newest first within a name. These indexes
-- hold exactly the ORDER BY's expressions in its order, so a page is an index scan that stops at its
-- LIMIT (and a later page starts at the cursor's name) instead of a sort of every matching event.
-- Prisma's schema cannot express expression indexes; prisma/schema.prisma names them in a comment.

-- CreateIndex
CREATE INDEX "AuditEvent_app_name_order_idx" ON "AuditEvent"
  (("targetName" IS NULL), lower(coalesce("targetName", '')), "occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actor_name_order_idx" ON "AuditEvent"
  ((coalesce("actorName", "actorUpn") IS NULL), lower(coalesce("actorName", "actorUpn", '')), "occurredAt" DESC, "seq" DESC);
