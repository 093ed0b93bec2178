import { randomUUID } from "node:crypto";
import type { AuditRecord } from "../../lib/audit/canonical";
import type { AuditSql } from "../../lib/audit/sql";
import { linkEvents, renderBodies, type Event, type EventInput } from "../../lib/audit/store";

/** Deterministic-enough synthetic events: 50 actors, 200 apps, 8 actions, 4 outcomes, a year of time. */
const TENANT = "8c1c5b5e-6a3f-4d6e-9b2a-3f1e2d4c5b6a";
export const ACTORS = Array.from({ length: 50 }, (_, i) => ({ oid: uuidFrom(i + 1), upn: `admin${i}@contoso.onmicrosoft.com`, name: `Admin ${i}` }));
export const APPS = Array.from({ length: 200 }, (_, i) => ({ appId: uuidFrom(10_000 + i), name: `Vendor App ${i}` }));
export const ACTIONS = ["consent.grantDelegated", "consent.grantApplication", "consent.revoke", "sp.create", "policy.userConsent", "request.approve", "request.deny", "sp.disableSignIn"];
const OUTCOMES = ["intended", "succeeded", "succeeded", "succeeded", "failed", "partial"] as const;
const SCOPES = ["User.Read", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.Read", "Files.Read.All", "offline_access"];
export const START = Date.UTC(2026, 0, 1);
export const SPAN_MS = 330 * 24 * 3600 * 1000;

function uuidFrom(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

export function syntheticEvent(i: number, total: number): EventInput {
  const actor = ACTORS[i % ACTORS.length]!;
  const app = APPS[(i * 7) % APPS.length]!;
  const scopes = SCOPES.slice(0, 1 + (i % SCOPES.length));
  return {
    occurredAt: new Date(START + Math.floor((i / total) * SPAN_MS)),
    correlationId: randomUUID(),
    tenantId: TENANT,
    actorOid: actor.oid,
    actorUpn: actor.upn,
    actorName: actor.name,
    actorRoles: ["Cloud Application Administrator"],
    action: ACTIONS[i % ACTIONS.length]!,
    targetType: "oauth2PermissionGrant",
    targetAppId: app.appId,
    targetId: randomUUID(),
    targetName: app.name,
    before: { scope: scopes.slice(0, -1).join(" ") },
    after: { scope: scopes.join(" ") },
    justification: i % 1000 === 0 ? `Quarterly access review ticket CHG-${i}` : `Team request ${i % 97} for ${app.name}`,
    outcome: OUTCOMES[i % OUTCOMES.length]!,
    graphRequestIds: [randomUUID()],
    clientIp: `10.0.${i % 256}.${(i >> 8) % 256}`,
    userAgent: "Mozilla/5.0 (bench)",
  };
}

/**
 * The bulk loader's fast path: events built already normalized (what the store's normalize would
 * produce for syntheticEvent, minus the sanitizing the generator does not need), their bodies rendered
 * by the database and linked with the store's own linkEvents, so the loaded chain is encoding 2 and
 * verifies as appended events do.
 */
export async function syntheticRecords(sql: AuditSql, head: { seq: bigint; hash: string }, from: number, count: number, total: number): Promise<AuditRecord[]> {
  const inputs: EventInput[] = [];
  const events: Event[] = [];
  for (let k = 0; k < count; k += 1) {
    const e = syntheticEvent(from + k, total);
    inputs.push(e);
    events.push({
      source: "portal",
      externalId: null,
      correlationId: e.correlationId!,
      tenantId: e.tenantId,
      actorOid: e.actorOid,
      actorUpn: e.actorUpn,
      actorName: e.actorName,
      actorRoles: e.actorRoles,
      action: e.action,
      targetType: e.targetType,
      targetAppId: e.targetAppId ?? null,
      targetId: e.targetId ?? null,
      targetName: e.targetName ?? null,
      before: e.before,
      after: e.after,
      justification: e.justification ?? null,
      outcome: e.outcome,
      graphRequestIds: e.graphRequestIds ?? [],
      clientIp: e.clientIp ?? null,
      userAgent: e.userAgent ?? null,
    });
  }
  const bodies = await renderBodies(sql, events);
  return linkEvents(head, inputs.map((input, i) => ({ input, event: events[i]!, body: bodies[i] })));
}
