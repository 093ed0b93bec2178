-- CreateTable
CREATE TABLE "CatalogApp" (
    "appId" UUID NOT NULL,
    "displayName" TEXT NOT NULL,
    "publisher" TEXT,
    "verifiedPublisher" BOOLEAN NOT NULL DEFAULT false,
    "articleUrl" TEXT,
    "permissions" JSONB NOT NULL,
    "addedByOid" UUID NOT NULL,
    "addedByUpn" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CatalogApp_pkey" PRIMARY KEY ("appId")
);

