-- CreateTable
CREATE TABLE "Notification" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "requestId" UUID,
    "appId" UUID,
    "appName" TEXT,
    "subjectOid" UUID,
    "subjectUpn" TEXT,
    "recipients" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "recipientsResolvedAt" TIMESTAMPTZ(3),
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT,
    "actor" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "auditedAt" TIMESTAMPTZ(3),
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Notification_requestId_createdAt_idx" ON "Notification"("requestId", "createdAt");


-- Deliveries whose audit event is still to be written: the background job's sweep (Prisma cannot express a partial index).
CREATE INDEX "Notification_unaudited_idx" ON "Notification"("createdAt") WHERE "auditedAt" IS NULL AND "status" <> 'pending';
