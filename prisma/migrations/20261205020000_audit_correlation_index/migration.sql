-- CreateIndex: reconciliation finds whether an intent has its outcome by correlationId.
CREATE INDEX "AuditEvent_correlationId_idx" ON "AuditEvent"("correlationId");
