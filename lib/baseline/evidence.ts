import "server-only";
import { auditSql } from "@/lib/audit";
import { listChanges } from "@/lib/audit/query";
import { describeChange, sentenceText } from "@/lib/audit/sentence";
import { findCatalogApp } from "@/lib/catalog";
import { db } from "@/lib/db";
import { readBaseline } from "./store";
import type { BaselinePermission } from "./types";
import type { AppEvidence } from "./evidence-html";

/** At most this many changes on one page: an app with more is a data problem, and the page says it is cut. */
const MAX_CHANGES = 2_000;

/**
 * The evidence for one app an auditor asks for: its approved baseline, every change to it in the audit
 * trail (oldest first, in words), every attestation and every drift, open or closed. Read from the
 * portal's database only, so it is the same whoever opens it and needs no Graph access.
 */
export async function loadEvidence(appId: string): Promise<AppEvidence> {
  const id = appId.toLowerCase();
  const [baseline, attestations, drifts, catalog, inventory] = await Promise.all([
    readBaseline(id),
    db().attestation.findMany({ where: { appId: id }, orderBy: { createdAt: "desc" } }),
    db().baselineDrift.findMany({ where: { appId: id }, orderBy: [{ status: "asc" }, { firstSeenAt: "desc" }] }),
    findCatalogApp(id),
    db().inventoryApp.findFirst({ where: { appId: id }, orderBy: { scanId: "desc" }, select: { displayName: true } }),
  ]);

  const changes: AppEvidence["changes"] = [];
  let cursor: string | undefined;
  let truncated = false;
  do {
    const page = await listChanges(auditSql(), { app: id }, { cursor, limit: 500, order: "oldest" });
    for (const change of page.changes) {
      changes.push({
        at: change.head.occurredAt.toISOString(),
        actor: change.head.actorName ?? change.head.actorUpn ?? (change.head.source === "entra" ? "Entra" : "Someone"),
        action: change.head.action,
        sentence: sentenceText(describeChange(change)),
        justification: change.intent?.justification ?? change.head.justification,
        outcome: change.head.outcome,
        seq: change.head.seq.toString(),
      });
    }
    cursor = page.nextCursor ?? undefined;
    if (changes.length >= MAX_CHANGES && cursor) truncated = true;
  } while (cursor && !truncated);

  return {
    appId: id,
    displayName: baseline?.displayName ?? catalog?.displayName ?? inventory?.displayName ?? id,
    generatedAt: new Date().toISOString(),
    baseline,
    changes,
    changesTruncated: truncated,
    attestations: attestations.map((a) => ({
      at: a.createdAt.toISOString(),
      decision: a.decision,
      note: a.note,
      by: `${a.attestedByName} (${a.attestedByUpn})`,
      permissions: a.permissions as unknown as BaselinePermission[],
    })),
    drifts: drifts.map((d) => ({
      kind: d.kind,
      status: d.status,
      detail: d.detail,
      firstSeenAt: d.firstSeenAt.toISOString(),
      lastSeenAt: d.lastSeenAt.toISOString(),
      closedAt: d.closedAt?.toISOString() ?? null,
      closedBy: d.closedByName ? `${d.closedByName}${d.closedByUpn ? ` (${d.closedByUpn})` : ""}` : null,
      closedReason: d.closedReason,
    })),
  };
}
