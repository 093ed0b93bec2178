import "server-only";
import { auditLog, type AuditActor } from "@/lib/audit";
import { saveBaseline } from "@/lib/baseline/store";
import { changeEngine } from "@/lib/consent/engine";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { appOnlyRevocationGraph } from "@/lib/graph/app-only";
import type { GraphSession } from "@/lib/graph/client";
import { findUser } from "@/lib/graph/directory";
import { DEFAULT_UNUSED_AFTER_DAYS } from "@/lib/inventory/scan/engine";
import { notificationOutbox } from "@/lib/notifications";
import { mailAddressOf } from "@/lib/notifications/recipients";
import { runRecertification, type AppSettings, type RecertificationDeps, type RecertificationReport } from "./core";

/** The portal's own parts for recertification (core.ts takes them as arguments, so tests bring theirs). */

export function portalActor(): AuditActor {
  return { oid: "00000000-0000-0000-0000-000000000000", tid: env().tenant.tenantId, upn: "portal", name: "Admin Consent Portal (recertification)", roles: ["portal"] };
}

export function recertificationDeps(): RecertificationDeps {
  const { outbox, origin } = notificationOutbox();
  const actor = portalActor();
  return {
    prisma: db(),
    audit: auditLog(),
    outbox,
    graph: appOnlyRevocationGraph,
    engine: changeEngine(),
    actor,
    origin,
    tenantId: env().tenant.tenantId,
    unusedAfterDays: DEFAULT_UNUSED_AFTER_DAYS,
    // After an automatic revocation nothing is approved any more: drift must not report the removal.
    recordRevokedBaseline: async (app) => {
      const previous = await db().appBaseline.findUnique({ where: { appId: app.appId }, select: { verifiedPublisher: true } });
      await saveBaseline(
        { appId: app.appId, displayName: app.displayName, permissions: [], verifiedPublisher: previous?.verifiedPublisher ?? null, source: "revoke", justification: "Revoked automatically: its re-attestation was overdue." },
        { actor, context: { clientIp: null, userAgent: null } },
      );
    },
  };
}

/** The background job's run (lib/jobs/start.ts). */
export function recertify(now: Date = new Date()): Promise<RecertificationReport> {
  return runRecertification(recertificationDeps(), now);
}

/** An app's owner as the directory has them now, by object ID (never a name typed into a form); null when not found. */
export async function directoryOwner(graph: GraphSession, oid: string): Promise<AppSettings["owner"]> {
  const found = await findUser(graph.client, oid, ["id", "displayName", "userPrincipalName", "mail", "accountEnabled"]);
  if (!found?.id || !found.userPrincipalName) return null;
  return { oid: found.id, upn: found.userPrincipalName, name: found.displayName ?? found.userPrincipalName, mail: mailAddressOf(found) };
}
