-- An app's permissions are written once per scan and only ever read back whole: kept as JSON text, which
-- PostgreSQL stores without parsing (jsonb input was a large share of a scan's analysis time).
ALTER TABLE "InventoryApp" ALTER COLUMN "permissions" TYPE TEXT USING "permissions"::text;

-- Each app's newest sign-in, as a scan read it from the sign-in activity report (raw rows, like the grants).
CREATE TABLE "InventorySignIn" (
    "scanId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "lastSignIn" TIMESTAMPTZ(3),

    CONSTRAINT "InventorySignIn_pkey" PRIMARY KEY ("scanId","appId")
);
