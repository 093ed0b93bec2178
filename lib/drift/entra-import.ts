import "server-only";
import { randomUUID } from "node:crypto";
import type { DirectoryAudit } from "@microsoft/microsoft-graph-types";
import type { AuditSql } from "@/lib/audit/sql";
import { appendEvents, type EventInput } from "@/lib/audit/store";
import { listDirectoryAudits } from "@/lib/graph/audit-logs";
import type { GraphSession } from "@/lib/graph/client";

/**
 * Drift: consent given or removed in Entra directly, outside the portal. Entra's directory audits are
 * read from Graph and kept in the portal's audit trail as events of source "entra", beside its own.
 */

/** Entra's consent-related directory audit activities: consents made outside the portal show up as these. */
export const ENTRA_CONSENT_ACTIVITIES = [
  "Consent to application",
  "Add delegated permission grant",
  "Update delegated permission grant",
  "Remove delegated permission grant",
  "Add app role assignment to service principal",
  "Remove app role assignment from service principal",
  // A person asking on Entra's "Approval required" screen: the request is theirs in the audit trail too.
  "Create app consent request",
] as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guidOrNull = (value: string | null | undefined) => (value && GUID.test(value) ? value.toLowerCase() : null);

/** Entra writes modified property values as JSON text ("\"Mail.Read\""); show them as values. */
function propertyValue(text: string | null | undefined): unknown {
  if (text === null || text === undefined || text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The audit fields every import relies on; Graph always sends them, the metadata types leave them optional. */
type ImportableAudit = DirectoryAudit & { id: string; activityDisplayName: string; activityDateTime: string };
const importable = (audit: DirectoryAudit): audit is ImportableAudit => Boolean(audit.id && audit.activityDisplayName && audit.activityDateTime);

export function toEventInput(audit: ImportableAudit, tenantId: string): EventInput {
  const targets = audit.targetResources ?? [];
  const detail = (key: string) => audit.additionalDetails?.find((d) => d.key === key)?.value ?? null;
  // For delegated grants Entra names the resource (e.g. Microsoft Graph) first and the client app last.
  const app = audit.activityDisplayName.includes("delegated permission grant") ? (targets.at(-1) ?? targets[0]) : targets[0];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const target of targets) {
    for (const property of target.modifiedProperties ?? []) {
      if (!property.displayName) continue;
      if (property.oldValue !== null && property.oldValue !== undefined) before[property.displayName] = propertyValue(property.oldValue);
      if (property.newValue !== null && property.newValue !== undefined) after[property.displayName] = propertyValue(property.newValue);
    }
  }
  const user = audit.initiatedBy?.user;
  const byApp = audit.initiatedBy?.app;
  return {
    occurredAt: new Date(audit.activityDateTime),
    source: "entra",
    externalId: audit.id,
    correlationId: guidOrNull(audit.correlationId) ?? randomUUID(),
    tenantId,
    actorOid: guidOrNull(user?.id) ?? guidOrNull(byApp?.servicePrincipalId),
    actorUpn: user?.userPrincipalName ?? null,
    actorName: user?.displayName ?? byApp?.displayName ?? null,
    actorRoles: [],
    action: audit.activityDisplayName,
    targetType: app?.type === "AppConsentRequest" ? "consentRequest" : "servicePrincipal",
    targetAppId: guidOrNull(detail("AppId")),
    targetId: app?.id ?? null,
    targetName: app?.displayName ?? null,
    before: Object.keys(before).length ? before : null,
    after: Object.keys(after).length ? after : null,
    justification: null,
    outcome: audit.result === "failure" ? "failed" : "succeeded",
    graphRequestIds: [],
    clientIp: user?.ipAddress ?? null,
    userAgent: null,
  };
}

/**
 * Imports Entra's consent-related directory audits since `since` as events of source "entra", oldest
 * first. Idempotent: an audit already imported (same Entra id, AuditEvent.externalId) is skipped, so
 * the on-demand button and the schedule can overlap freely.
 */
export async function importEntraConsentEvents(
  graph: GraphSession,
  since: Date,
  options: { sql?: AuditSql; tenantId?: string } = {},
): Promise<{ fetched: number; imported: number; appIds: string[] }> {
  const sql = options.sql ?? (await import("@/lib/audit")).auditSql();
  const tenantId = options.tenantId ?? (await import("@/lib/env")).env().tenant.tenantId;
  const audits: ImportableAudit[] = [];
  for (const activity of ENTRA_CONSENT_ACTIVITIES) {
    audits.push(...(await listDirectoryAudits(graph.client, { activityDisplayName: activity, since })).filter(importable));
  }
  audits.sort((a, b) => a.activityDateTime.localeCompare(b.activityDateTime) || a.id.localeCompare(b.id));
  const records = await appendEvents(sql, audits.map((audit) => toEventInput(audit, tenantId)));
  // the client apps whose consent changed in Entra: the drift check reads these again live
  const appIds = [...new Set(records.flatMap((record) => (record.targetAppId ? [record.targetAppId] : [])))];
  return { fetched: audits.length, imported: records.length, appIds };
}
