-- Signed heads of the audit chain: where the routine verification starts (lib/audit/verify.ts).
CREATE TABLE "AuditHead" (
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "count" INTEGER NOT NULL,
    "exportedAt" TIMESTAMPTZ(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditHead_pkey" PRIMARY KEY ("seq")
);
