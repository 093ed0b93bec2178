-- CreateTable
CREATE TABLE "AppBaseline" (
    "appId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "verifiedPublisher" TEXT,
    "source" TEXT NOT NULL,
    "justification" TEXT NOT NULL,
    "requestId" TEXT,
    "approvedByOid" UUID NOT NULL,
    "approvedByUpn" TEXT NOT NULL,
    "approvedByName" TEXT NOT NULL,
    "approvedAt" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "AppBaseline_pkey" PRIMARY KEY ("appId")
);

-- CreateTable
CREATE TABLE "BaselineDrift" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "appId" UUID NOT NULL,
    "appName" TEXT NOT NULL,
    "servicePrincipalId" UUID,
    "permissions" JSONB NOT NULL,
    "detail" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "detectedBy" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL,
    "notifiedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "closedByUpn" TEXT,
    "closedByName" TEXT,
    "closedReason" TEXT,

    CONSTRAINT "BaselineDrift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecertificationPolicy" (
    "riskLevel" TEXT NOT NULL,
    "periodDays" INTEGER NOT NULL,
    "updatedByUpn" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecertificationPolicy_pkey" PRIMARY KEY ("riskLevel")
);

-- CreateTable
CREATE TABLE "AppRecertification" (
    "appId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "riskLevel" TEXT NOT NULL,
    "periodDays" INTEGER,
    "ownerOid" UUID,
    "ownerUpn" TEXT,
    "ownerName" TEXT,
    "ownerMail" TEXT,
    "autoRevoke" BOOLEAN NOT NULL DEFAULT false,
    "warnDays" INTEGER NOT NULL DEFAULT 7,
    "graceDays" INTEGER NOT NULL DEFAULT 14,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAttestedAt" TIMESTAMPTZ(3),
    "lastAttestedByUpn" TEXT,
    "remindedAt" TIMESTAMPTZ(3),
    "overdueNotifiedAt" TIMESTAMPTZ(3),
    "warnedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppRecertification_pkey" PRIMARY KEY ("appId")
);

-- CreateTable
CREATE TABLE "Attestation" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "decision" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "permissions" JSONB NOT NULL,
    "attestedByOid" UUID NOT NULL,
    "attestedByUpn" TEXT NOT NULL,
    "attestedByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attestation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BaselineDrift_status_appId_idx" ON "BaselineDrift"("status", "appId");

-- CreateIndex
CREATE INDEX "BaselineDrift_appId_firstSeenAt_idx" ON "BaselineDrift"("appId", "firstSeenAt" DESC);

-- CreateIndex
CREATE INDEX "AppRecertification_dueAt_idx" ON "AppRecertification"("dueAt");

-- CreateIndex
CREATE INDEX "Attestation_appId_createdAt_idx" ON "Attestation"("appId", "createdAt" DESC);


-- One open drift per key: a drift is followed from scan to scan, notified once, and closed once
-- (Prisma's schema cannot express a partial unique index).
CREATE UNIQUE INDEX "BaselineDrift_open_key" ON "BaselineDrift"("key") WHERE "status" = 'open';
