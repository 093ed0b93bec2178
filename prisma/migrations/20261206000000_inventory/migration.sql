-- CreateTable
CREATE TABLE "InventoryScan" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "startedByUpn" TEXT,
    "startedByName" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "phase" TEXT NOT NULL DEFAULT 'servicePrincipals',
    "cursor" JSONB NOT NULL DEFAULT '{}',
    "pages" INTEGER NOT NULL DEFAULT 0,
    "items" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "expectedPages" INTEGER,
    "lastError" TEXT,
    "leaseHolder" UUID,
    "leaseUntil" TIMESTAMPTZ(3),
    "summary" JSONB,

    CONSTRAINT "InventoryScan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventoryServicePrincipal" (
    "scanId" UUID NOT NULL,
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "InventoryServicePrincipal_pkey" PRIMARY KEY ("scanId","id")
);

-- CreateTable
CREATE TABLE "InventoryGrant" (
    "scanId" UUID NOT NULL,
    "id" TEXT NOT NULL,
    "clientId" UUID NOT NULL,
    "resourceId" UUID NOT NULL,
    "consentType" TEXT NOT NULL,
    "principalId" UUID,
    "scope" TEXT NOT NULL,

    CONSTRAINT "InventoryGrant_pkey" PRIMARY KEY ("scanId","id")
);

-- CreateTable
CREATE TABLE "InventoryAssignment" (
    "scanId" UUID NOT NULL,
    "id" TEXT NOT NULL,
    "principalId" UUID NOT NULL,
    "principalType" TEXT NOT NULL,
    "resourceId" UUID NOT NULL,
    "appRoleId" UUID NOT NULL,
    "createdDateTime" TIMESTAMPTZ(3),

    CONSTRAINT "InventoryAssignment_pkey" PRIMARY KEY ("scanId","id")
);

-- CreateTable
CREATE TABLE "InventoryApp" (
    "scanId" UUID NOT NULL,
    "servicePrincipalId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "publisherName" TEXT,
    "verifiedPublisher" TEXT,
    "firstParty" BOOLEAN NOT NULL,
    "multiTenant" BOOLEAN NOT NULL,
    "riskLevel" TEXT NOT NULL,
    "riskScore" INTEGER NOT NULL,
    "riskSummary" TEXT NOT NULL,
    "riskFactors" TEXT[],
    "permissions" JSONB NOT NULL,
    "permissionCount" INTEGER NOT NULL,
    "allUsers" BOOLEAN NOT NULL,
    "consentedUsers" INTEGER NOT NULL,
    "lastSignIn" TIMESTAMPTZ(3),
    "change" TEXT,

    CONSTRAINT "InventoryApp_pkey" PRIMARY KEY ("scanId","servicePrincipalId")
);

-- CreateTable
CREATE TABLE "InventoryFinding" (
    "scanId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "servicePrincipalId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "appName" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "revoke" JSONB NOT NULL,

    CONSTRAINT "InventoryFinding_pkey" PRIMARY KEY ("scanId","key")
);

-- CreateIndex
CREATE INDEX "InventoryScan_tenantId_startedAt_idx" ON "InventoryScan"("tenantId", "startedAt" DESC);
CREATE INDEX "InventoryScan_status_leaseUntil_idx" ON "InventoryScan"("status", "leaseUntil");
CREATE INDEX "InventoryGrant_scanId_clientId_idx" ON "InventoryGrant"("scanId", "clientId");
CREATE INDEX "InventoryAssignment_scanId_principalId_idx" ON "InventoryAssignment"("scanId", "principalId");
CREATE INDEX "InventoryApp_scanId_riskScore_servicePrincipalId_idx" ON "InventoryApp"("scanId", "riskScore" DESC, "servicePrincipalId");
CREATE INDEX "InventoryApp_scanId_displayName_servicePrincipalId_idx" ON "InventoryApp"("scanId", "displayName", "servicePrincipalId");
CREATE INDEX "InventoryFinding_scanId_kind_idx" ON "InventoryFinding"("scanId", "kind");

-- One scan per tenant at a time (Prisma cannot express a partial unique index).
CREATE UNIQUE INDEX "InventoryScan_one_running_per_tenant" ON "InventoryScan"("tenantId") WHERE "status" = 'running';
