import type { AuditSql } from "@/lib/audit/sql";
import { readAppState, ResourceDirectory, type AppState } from "@/lib/consent/app-state";
import type { GraphSession } from "@/lib/graph/client";
import { MICROSOFT_TENANT_ID } from "@/lib/inventory/build";
import type { HeldPermission } from "@/lib/inventory/types";
import { detectAppDrift, type DriftApp, type DriftHeld } from "./drift";
import { anyBaseline, appsWithOpenDrift, baselinesFor, recordDrifts, type DriftRecording } from "./drift-store";
import type { DetectedDrift } from "./types";

/**
 * The two moments drift is checked: after every completed inventory scan (the whole tenant, from what
 * the scan stored), and live through Graph for a few apps — those the scheduled drift import saw consent
 * events for, or every baselined app when an admin asks ("Check drift now"). Both store through
 * recordDrifts; telling people is the notification job's (lib/baseline/drift-notify.ts), so a scan never
 * waits on a mail server.
 *
 * "Never approved" apps are only followed once the portal has approved something: before the first
 * baseline, every third-party app in the tenant would be one, which says nothing.
 */

const PAGE = 2_000;

/** The scan's hook (lib/inventory/scan/analysis.ts): the drifts of the whole tenant as this scan found it. */
export async function checkScanDrift(sql: AuditSql, input: { scanId: string; now: Date }): Promise<DriftRecording> {
  const baselines = await baselinesFor(sql);
  const byAppId = new Map(baselines.map((b) => [b.appId.toLowerCase(), b]));
  const followUnapproved = baselines.length > 0;
  const detected: DetectedDrift[] = [];
  const seen = new Set<string>();
  // A page of apps at a time, by key: a tenant of 100k apps never sits in memory whole.
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await sql.query<DriftApp & { servicePrincipalId: string }>(
      `SELECT "servicePrincipalId"::text AS "servicePrincipalId", "appId"::text AS "appId", "displayName", "firstParty", "verifiedPublisher", permissions
       FROM "InventoryApp" WHERE "scanId" = $1::uuid AND "servicePrincipalId" > $2::uuid ORDER BY "servicePrincipalId" LIMIT ${PAGE}`,
      [input.scanId, after],
    );
    for (const row of rows) {
      const app = { ...row, permissions: heldPermissionsOf(row.permissions) };
      const appId = app.appId.toLowerCase();
      seen.add(appId);
      const baseline = byAppId.get(appId) ?? null;
      if (baseline || followUnapproved) detected.push(...detectAppDrift(app, baseline));
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.servicePrincipalId;
  }
  for (const baseline of baselines) if (!seen.has(baseline.appId.toLowerCase())) detected.push(...detectAppDrift(null, baseline));
  return recordDrifts(sql, { detected, scope: "all", detectedBy: "scan", now: input.now });
}

/** The stored HeldPermission[] (jsonb, or its text from a driver that does not parse it), keeping only well-formed entries. */
function heldPermissionsOf(stored: unknown): DriftHeld[] {
  const value: unknown = typeof stored === "string" ? JSON.parse(stored) : stored;
  if (!Array.isArray(value)) return [];
  return value.filter((p): p is DriftHeld => typeof p === "object" && p !== null && typeof p.resourceAppId === "string" && typeof p.value === "string" && typeof p.kind === "string");
}

/** An app's consent as the app page reads it (readAppState), in the terms detection compares. */
export function driftAppFromState(appId: string, state: AppState): DriftApp | null {
  const sp = state.servicePrincipal;
  if (!sp) return null;
  const held = new Map<string, DriftHeld & { userIds: string[] }>();
  const entry = (kind: HeldPermission["kind"], resource: { appId: string; displayName: string }, value: string) => {
    const key = `${kind}|${resource.appId.toLowerCase()}|${value.toLowerCase()}`;
    let p = held.get(key);
    if (!p) {
      p = { kind, resourceAppId: resource.appId.toLowerCase(), resourceName: resource.displayName, value, allUsers: false, userCount: 0, userIds: [] };
      held.set(key, p);
    }
    return p;
  };
  for (const grant of state.tenantWide) for (const scope of grant.scopes) entry("delegated", grant.resource, scope).allUsers = true;
  for (const consent of state.userConsents) {
    for (const scope of consent.scopes) {
      const p = entry("delegated", consent.resource, scope);
      if (!p.userIds.includes(consent.principalId)) p.userIds.push(consent.principalId);
      p.userCount = p.userIds.length;
    }
  }
  for (const permission of state.appPermissions) entry("application", permission.resource, permission.value);
  return {
    appId: (sp.appId || appId).toLowerCase(),
    servicePrincipalId: sp.id,
    displayName: sp.displayName,
    firstParty: sp.appOwnerOrganizationId?.toLowerCase() === MICROSOFT_TENANT_ID,
    verifiedPublisher: sp.verifiedPublisher,
    permissions: [...held.values()],
  };
}

export type LiveCheck = DriftRecording & { checked: number };

/**
 * Reads each app's consent live through Graph and records its drifts; `appIds` "baselined" means every
 * app with a baseline or an open drift. Apps are read one after the other: Graph throttles bursts.
 */
export async function checkAppsLive(
  graph: GraphSession,
  sql: AuditSql,
  input: { appIds: readonly string[] | "baselined"; detectedBy: "drift-import" | "check"; now: Date },
): Promise<LiveCheck> {
  const ids =
    input.appIds === "baselined"
      ? [...new Set([...(await baselinesFor(sql)).map((b) => b.appId.toLowerCase()), ...(await appsWithOpenDrift(sql))])]
      : [...new Set(input.appIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return { opened: [], seen: 0, resolved: 0, checked: 0 };
  const baselines = new Map((await baselinesFor(sql, ids)).map((b) => [b.appId.toLowerCase(), b]));
  const followUnapproved = baselines.size > 0 || (await anyBaseline(sql));
  const resources = new ResourceDirectory(graph.client);
  const detected: DetectedDrift[] = [];
  for (const appId of ids) {
    const baseline = baselines.get(appId) ?? null;
    if (!baseline && !followUnapproved) continue;
    const app = driftAppFromState(appId, await readAppState(graph, appId, resources));
    detected.push(...detectAppDrift(app, baseline));
  }
  const recorded = await recordDrifts(sql, { detected, scope: ids, detectedBy: input.detectedBy, now: input.now });
  return { ...recorded, checked: ids.length };
}

/** The users whose own consent to the app holds one of `scopes` (a users'-own `added` drift reverts their consent). */
export function usersHolding(state: AppState, scopes: readonly { resourceAppId: string; value: string }[]): string[] {
  const wanted = new Set(scopes.map((s) => `${s.resourceAppId.toLowerCase()}|${s.value.toLowerCase()}`));
  return [
    ...new Set(
      state.userConsents
        .filter((consent) => consent.scopes.some((scope) => wanted.has(`${consent.resource.appId.toLowerCase()}|${scope.toLowerCase()}`)))
        .map((consent) => consent.principalId),
    ),
  ];
}
