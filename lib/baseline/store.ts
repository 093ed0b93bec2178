import "server-only";
import { withAudit, type AuditActor, type AuditRequestContext } from "@/lib/audit";
import { db } from "@/lib/db";
import { permissionKey, type AppBaselineRecord, type BaselinePermission, type BaselineSource } from "./types";

/**
 * The approved baselines (AppBaseline): read them, and write one — always as an audit event of its own
 * ("baseline.<source>", before and after the approved permissions), so the trail shows every approval,
 * adoption and acceptance with who, when and why. No audit, no write: withAudit writes the intent first.
 */

type Row = Awaited<ReturnType<ReturnType<typeof db>["appBaseline"]["findUniqueOrThrow"]>>;

function toRecord(row: Row): AppBaselineRecord {
  return {
    appId: row.appId,
    displayName: row.displayName,
    permissions: row.permissions as unknown as BaselinePermission[],
    verifiedPublisher: row.verifiedPublisher,
    source: row.source as BaselineSource,
    justification: row.justification,
    requestId: row.requestId,
    approvedBy: { oid: row.approvedByOid, upn: row.approvedByUpn, name: row.approvedByName },
    approvedAt: row.approvedAt.toISOString(),
    version: row.version,
  };
}

export async function readBaseline(appId: string): Promise<AppBaselineRecord | null> {
  const row = await db().appBaseline.findUnique({ where: { appId: appId.toLowerCase() } });
  return row ? toRecord(row) : null;
}

export async function listBaselines(): Promise<AppBaselineRecord[]> {
  const rows = await db().appBaseline.findMany({ orderBy: { displayName: "asc" } });
  return rows.map(toRecord);
}

/** A baseline as written: `permissions` is the whole approved set after this write (not a delta). */
export type BaselineWrite = Pick<AppBaselineRecord, "appId" | "displayName" | "permissions" | "verifiedPublisher" | "source" | "justification"> & {
  requestId?: string | null;
};

export type BaselineWriter = { actor: AuditActor; context: AuditRequestContext; correlationId?: string };

/** Replaces an app's baseline with `write` (version + 1), audited as "baseline.<source>". */
export async function saveBaseline(write: BaselineWrite, by: BaselineWriter): Promise<AppBaselineRecord> {
  const appId = write.appId.toLowerCase();
  const previous = await readBaseline(appId);
  const permissions = dedupe(write.permissions);
  return withAudit(
    {
      actor: by.actor,
      context: by.context,
      action: `baseline.${write.source}`,
      target: { type: "app", appId, name: write.displayName },
      before: previous ? { permissions: previous.permissions, verifiedPublisher: previous.verifiedPublisher, version: previous.version } : null,
      justification: write.justification,
      correlationId: by.correlationId,
    },
    async () => {
      const data = {
        displayName: write.displayName,
        permissions: permissions as unknown as object,
        verifiedPublisher: write.verifiedPublisher,
        source: write.source,
        justification: write.justification,
        requestId: write.requestId ?? null,
        approvedByOid: by.actor.oid,
        approvedByUpn: by.actor.upn,
        approvedByName: by.actor.name,
        approvedAt: new Date(),
      };
      const row = await db().appBaseline.upsert({
        where: { appId },
        create: { appId, ...data },
        update: { ...data, version: { increment: 1 } },
      });
      const saved = toRecord(row);
      return { result: saved, after: { permissions: saved.permissions, verifiedPublisher: saved.verifiedPublisher, version: saved.version }, outcome: "succeeded", graphRequestIds: [] };
    },
  );
}

function dedupe(permissions: BaselinePermission[]): BaselinePermission[] {
  const seen = new Map<string, BaselinePermission>();
  for (const p of permissions) seen.set(permissionKey(p), p);
  return [...seen.values()].sort((a, b) => a.resourceName.localeCompare(b.resourceName) || a.consentType.localeCompare(b.consentType) || a.value.localeCompare(b.value));
}
