-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "UserSession" (
    "id" UUID NOT NULL,
    "oid" UUID NOT NULL,
    "tid" UUID NOT NULL,
    "upn" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "tokenCipher" BYTEA,

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'portal',
    "externalId" TEXT,
    "correlationId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "actorOid" UUID,
    "actorUpn" TEXT,
    "actorName" TEXT,
    "actorRoles" TEXT[],
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetAppId" TEXT,
    "targetId" TEXT,
    "targetName" TEXT,
    "before" JSONB,
    "after" JSONB,
    "justification" TEXT,
    "outcome" TEXT NOT NULL,
    "graphRequestIds" TEXT[],
    "clientIp" TEXT,
    "userAgent" TEXT,
    "prevHash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE INDEX "UserSession_oid_tid_idx" ON "UserSession"("oid", "tid");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_externalId_key" ON "AuditEvent"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_seq_idx" ON "AuditEvent"("occurredAt" DESC, "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_actorOid_seq_idx" ON "AuditEvent"("actorOid", "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_targetAppId_seq_idx" ON "AuditEvent"("targetAppId", "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_action_seq_idx" ON "AuditEvent"("action", "seq" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_outcome_seq_idx" ON "AuditEvent"("outcome", "seq" DESC);

