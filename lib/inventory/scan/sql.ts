import { pgSql, type AuditSql } from "@/lib/audit/sql";
import { dbPool } from "@/lib/db";

const globalForScan = globalThis as unknown as { inventoryScanSql?: AuditSql };

/**
 * The scan's database handle: the portal's pool (lib/db.ts) driven directly through `pg`, not through
 * Prisma. The scan sends each page and each slice of apps and findings as one large JSON parameter;
 * Prisma's raw queries pass every parameter through its query compiler, which cost the scan more CPU
 * than building the inventory itself (a 10k-app analysis spent ~5 s in it). Same pool, same shapes
 * (lib/audit/sql.ts makes both drivers return the same rows).
 */
export function scanSql(): AuditSql {
  globalForScan.inventoryScanSql ??= pgSql(dbPool());
  return globalForScan.inventoryScanSql;
}
