-- CreateTable
CREATE TABLE "ConsentLinkState" (
    "stateHash" TEXT NOT NULL,
    "sessionId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ConsentLinkState_pkey" PRIMARY KEY ("stateHash")
);

-- CreateIndex
CREATE INDEX "ConsentLinkState_expiresAt_idx" ON "ConsentLinkState"("expiresAt");

