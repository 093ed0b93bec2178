-- The hash encoding of each event (lib/audit/canonical.ts): 1 for the events written before this
-- migration (JSON encoded and hashed by the portal), 2 for those after it (the database's own text
-- of the stored columns, which the database can hash itself when it verifies). Existing rows keep 1.
ALTER TABLE "AuditEvent" ADD COLUMN "hashFormat" SMALLINT NOT NULL DEFAULT 1;
