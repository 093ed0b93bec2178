-- CreateTable
CREATE TABLE "ConsentRequest" (
    "id" UUID NOT NULL,
    "requesterOid" UUID NOT NULL,
    "requesterTid" UUID NOT NULL,
    "requesterUpn" TEXT NOT NULL,
    "requesterName" TEXT NOT NULL,
    "appId" UUID NOT NULL,
    "appName" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "justification" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "decidedByUpn" TEXT,
    "decidedByName" TEXT,
    "reason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsentRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ConsentRequest_requesterOid_requesterTid_createdAt_idx" ON "ConsentRequest"("requesterOid", "requesterTid", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ConsentRequest_status_createdAt_idx" ON "ConsentRequest"("status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ConsentRequest_appId_status_idx" ON "ConsentRequest"("appId", "status");


-- One open request per person and app, even under concurrent submits (Prisma cannot express a partial index).
CREATE UNIQUE INDEX "ConsentRequest_one_open_per_requester_app" ON "ConsentRequest"("requesterOid", "requesterTid", "appId") WHERE "status" = 'open';
