-- A finding's title, detail and revoke selection follow from its kind, its app's InventoryApp row of the
-- same scan and the permission its key names (lib/inventory/findings.ts findingWords derives them when
-- read). Storing them was most of the bytes of a scan's ~500,000 findings at 100k apps and most of the
-- analysis's write time; older scans' findings are derived the same way from their own apps.
ALTER TABLE "InventoryFinding" DROP COLUMN "title", DROP COLUMN "detail", DROP COLUMN "revoke";
