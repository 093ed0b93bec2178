-- CreateTable
CREATE TABLE "ChangeLock" (
    "key" TEXT NOT NULL,
    "holder" UUID NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChangeLock_pkey" PRIMARY KEY ("key")
);
